// kernels of `calls` (macros/src/backend/cuda_tests.rs)
extern "C" __global__ void calls_primal(
    const double* __restrict__ a_x,
    const unsigned long long a_x_len,
    const double* __restrict__ a_w,
    const unsigned long long a_w_len,
    const double a_k,
    double* __restrict__ a_y,
    const unsigned long long lz_n) {
  const unsigned long long lz_i = (unsigned long long)blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
  if (lz_i < lz_n) {
    const double lz_old_a_y = a_y[lz_i];
    unsigned long long v0 = lz_i;
    double v1 = a_k;
    double v2 = lz_old_a_y;
    unsigned long long v3 = 0;
    unsigned long long v4 = 3;
    unsigned long long v5 = lz_trip_count(v3, v4);
    bool v17 = v3 < v4;
    double v16;
    if (v17) {
      double v10 = a_x[v0];
      double c6 = v2;
      for (unsigned long long v8 = v3; v8 < v4; ++v8) {
        double v6 = c6;
        double v9 = a_w[v8];
        double v11 = (double)(v8);
        double v12 = v10 + v11;
        double v13 = lz_snap__smooth<double>(v12, v1);
        double v14 = v9 * v13;
        double v15 = v6 + v14;
        c6 = v15;
      }
      double v18 = c6;
      v16 = v18;
    } else {
      v16 = v2;
    }
    a_y[lz_i] = v16;
  }
}

extern "C" __global__ void calls_tangent(
    const double* __restrict__ a_x,
    const unsigned long long a_x_len,
    const double* __restrict__ d_x,
    const double* __restrict__ a_w,
    const unsigned long long a_w_len,
    const double* __restrict__ d_w,
    const double a_k,
    const double d_k,
    double* __restrict__ a_y,
    double* __restrict__ d_y,
    const unsigned long long lz_n) {
  const unsigned long long lz_i = (unsigned long long)blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
  if (lz_i < lz_n) {
    const double lz_old_a_y = a_y[lz_i];
    const double lz_old_d_y = d_y[lz_i];
    double v19 = d_k;
    double v20 = lz_old_d_y;
    unsigned long long v0 = lz_i;
    double v1 = a_k;
    double v2 = lz_old_a_y;
    unsigned long long v3 = 0;
    unsigned long long v4 = 3;
    unsigned long long v5 = lz_trip_count(v3, v4);
    bool v17 = v3 < v4;
    double v16;
    double v31;
    if (v17) {
      double v10 = a_x[v0];
      double v21 = d_x[v0];
      double c6 = v2;
      double c22 = v20;
      for (unsigned long long v8 = v3; v8 < v4; ++v8) {
        double v6 = c6;
        double v22 = c22;
        double v9 = a_w[v8];
        double v24 = d_w[v8];
        double v11 = (double)(v8);
        double v12 = v10 + v11;
        auto v25 = lz_snap__smooth__lz_jvp<double>(v12, v21, v1, v19);
        double v13 = lz_get<0>(v25);
        double v26 = lz_get<1>(v25);
        double v14 = v9 * v13;
        double v27 = v13 * v24;
        double v28 = v9 * v26;
        double v29 = v27 + v28;
        double v15 = v6 + v14;
        double v30 = v22 + v29;
        c6 = v15;
        c22 = v30;
      }
      double v18 = c6;
      double v23 = c22;
      v16 = v18;
      v31 = v23;
    } else {
      v16 = v2;
      v31 = v20;
    }
    a_y[lz_i] = v16;
    d_y[lz_i] = v31;
  }
}

extern "C" __global__ void calls_adjoint(
    const double* __restrict__ a_x,
    const unsigned long long a_x_len,
    double* __restrict__ b_x,
    const double* __restrict__ a_w,
    const unsigned long long a_w_len,
    double* __restrict__ b_w,
    const double a_k,
    double* __restrict__ b_k,
    double* __restrict__ a_y,
    double* __restrict__ b_y,
    const unsigned long long lz_n) {
  const unsigned long long lz_i = (unsigned long long)blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
  double lz_b_k = 0.0;
  if (lz_i < lz_n) {
    const double lz_old_a_y = a_y[lz_i];
    double lz_tf[3]; int lz_nf = 0;
    {
      unsigned long long v0 = lz_i;
      double v1 = a_k;
      double v2 = lz_old_a_y;
      unsigned long long v3 = 0;
      unsigned long long v4 = 3;
      unsigned long long v5 = lz_trip_count(v3, v4);
      bool v17 = v3 < v4;
      double v16;
      if (v17) {
        double v10 = a_x[v0];
        double c6 = v2;
        for (unsigned long long v8 = v3; v8 < v4; ++v8) {
          double v6 = c6;
          double v9 = a_w[v8];
          double v11 = (double)(v8);
          double v12 = v10 + v11;
          double v13 = lz_snap__smooth<double>(v12, v1);
          double v14 = v9 * v13;
          double v15 = v6 + v14;
          lz_tf[lz_nf++] = v13;
          c6 = v15;
        }
        double v18 = c6;
        v16 = v18;
      } else {
        v16 = v2;
      }
      a_y[lz_i] = v16;
    }
    double lz_b_y = 0.0;
    {
      const double lz_dout = b_y[lz_i];
      double v32 = lz_dout;
      unsigned long long v0 = lz_i;
      double v1 = a_k;
      unsigned long long v3 = 0;
      unsigned long long v4 = 3;
      bool v17 = v3 < v4;
      double x6 = 0.0;
      x6 += v32;
      double v33 = x6;
      if (v17) {
        double v10 = a_x[v0];
        double x7 = 0.0;
        double x8 = 0.0;
        x8 += v33;
        double v34 = x8;
        double x9 = v34;
        for (unsigned long long lz_k8 = v4; lz_k8 > v3; ) {
          --lz_k8;
          const unsigned long long v8 = lz_k8;
          double v35 = x9;
          const double v13 = lz_tf[--lz_nf];
          double v9 = a_w[v8];
          double v11 = (double)(v8);
          double v12 = v10 + v11;
          double x10 = 0.0;
          double x11 = 0.0;
          double x12 = 0.0;
          double x13 = 0.0;
          double x14 = 0.0;
          double x15 = 0.0;
          double x16 = 0.0;
          x16 += v35;
          double v36 = x16;
          x10 += v36;
          x15 += v36;
          double v37 = x15;
          x13 += v37;
          x14 += v37;
          double v38 = x14;
          double v39 = v9 * v38;
          x12 += v39;
          double v40 = x13;
          double v41 = v13 * v40;
          x11 += v41;
          double v42 = x12;
          lz_snap__smooth__lz_bwd<double>(v12, &x7, v1, &lz_b_k, v42);
          double v44 = x11;
          atomicAdd(&b_w[v8], v44);
          double v45 = x10;
          x9 = v45;
          double v46 = 0.0;
          x10 = v46;
        }
        double v47 = x9;
        lz_b_y += v47;
        double v48 = x7;
        b_x[v0] += v48;
      } else {
        lz_b_y += v33;
      }
      double v49 = lz_b_y;
      double v50 = lz_b_k;
    }
    b_y[lz_i] = lz_b_y;
  }
  lz_reduce_add(b_k, lz_b_k);
}
