// kernels of `loss` (macros/src/backend/cuda_tests.rs)
extern "C" __global__ void loss_primal(
    const float* __restrict__ a_u,
    const unsigned long long a_u_len,
    const float* __restrict__ a_obs,
    const unsigned long long a_obs_len,
    float* __restrict__ a_r,
    float* __restrict__ a_total,
    const unsigned long long lz_n) {
  const unsigned long long lz_i = (unsigned long long)blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
  float lz_r1 = 0.0f;
  if (lz_i < lz_n) {
    unsigned long long v0 = lz_i;
    float v1 = 0.0f;
    float v2 = 0.0f;
    float v3 = a_u[v0];
    float v4 = a_obs[v0];
    float v5 = v3 - v4;
    float v6 = v5 * v5;
    float v7 = v2 + v6;
    auto v8 = lz_mk(v5, v7);
    a_r[lz_i] = v5;
    lz_r1 = v7;
  }
  lz_reduce_add(a_total, lz_r1);
}

extern "C" __global__ void loss_tangent(
    const float* __restrict__ a_u,
    const unsigned long long a_u_len,
    const float* __restrict__ d_u,
    const float* __restrict__ a_obs,
    const unsigned long long a_obs_len,
    const float* __restrict__ d_obs,
    float* __restrict__ a_r,
    float* __restrict__ d_r,
    float* __restrict__ a_total,
    float* __restrict__ d_total,
    const unsigned long long lz_n) {
  const unsigned long long lz_i = (unsigned long long)blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
  float lz_r1 = 0.0f, lz_dr1 = 0.0f;
  if (lz_i < lz_n) {
    unsigned long long v0 = lz_i;
    float v1 = 0.0f;
    float v2 = 0.0f;
    float v3 = a_u[v0];
    float v9 = d_u[v0];
    float v4 = a_obs[v0];
    float v10 = d_obs[v0];
    float v5 = v3 - v4;
    float v11 = -v10;
    float v12 = v9 + v11;
    float v6 = v5 * v5;
    float v13 = v5 * v12;
    float v14 = v5 * v12;
    float v15 = v13 + v14;
    float v7 = v2 + v6;
    auto v8 = lz_mk(v5, v7);
    auto v16 = lz_mk(v12, v15);
    a_r[lz_i] = v5;
    d_r[lz_i] = v12;
    lz_r1 = v7;
    lz_dr1 = v15;
  }
  lz_reduce_add(a_total, lz_r1);
  lz_reduce_add(d_total, lz_dr1);
}

extern "C" __global__ void loss_adjoint(
    const float* __restrict__ a_u,
    const unsigned long long a_u_len,
    float* __restrict__ b_u,
    const float* __restrict__ a_obs,
    const unsigned long long a_obs_len,
    float* __restrict__ b_obs,
    float* __restrict__ a_r,
    float* __restrict__ b_r,
    float* __restrict__ a_total,
    const float* __restrict__ b_total,
    const unsigned long long lz_n) {
  const unsigned long long lz_i = (unsigned long long)blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
  float lz_r1 = 0.0f;
  if (lz_i < lz_n) {
    {
      unsigned long long v0 = lz_i;
      float v1 = 0.0f;
      float v2 = 0.0f;
      float v3 = a_u[v0];
      float v4 = a_obs[v0];
      float v5 = v3 - v4;
      float v6 = v5 * v5;
      float v7 = v2 + v6;
      auto v8 = lz_mk(v5, v7);
      a_r[lz_i] = v5;
      lz_r1 = v7;
    }
    {
      const auto lz_dout = lz_mk(b_r[lz_i], b_total[0]);
      auto v17 = lz_dout;
      unsigned long long v0 = lz_i;
      float v2 = 0.0f;
      float v3 = a_u[v0];
      float v4 = a_obs[v0];
      float v5 = v3 - v4;
      float v6 = v5 * v5;
      float v7 = v2 + v6;
      auto v8 = lz_mk(v5, v7);
      float x4 = 0.0f;
      float x5 = 0.0f;
      float x6 = 0.0f;
      float x7 = 0.0f;
      float x8 = 0.0f;
      float x9 = 0.0f;
      float x10 = 0.0f;
      auto v18 = lz_zero_like(v8);
      auto x11 = v18;
      lz_acc(x11, v17);
      auto v19 = x11;
      float v20 = lz_get<0>(v19);
      x7 += v20;
      float v21 = lz_get<1>(v19);
      x10 += v21;
      float v22 = x10;
      x8 += v22;
      x9 += v22;
      float v23 = x9;
      float v24 = v5 * v23;
      x7 += v24;
      float v25 = x8;
      float v26 = v5 * v25;
      x7 += v26;
      float v27 = x7;
      x4 += v27;
      x6 += v27;
      float v28 = x6;
      float v29 = -v28;
      x5 += v29;
      float v30 = x5;
      b_obs[v0] += v30;
      float v31 = x4;
      b_u[v0] += v31;
    }
    b_r[lz_i] = 0.0f;
  }
  lz_reduce_add(a_total, lz_r1);
}
