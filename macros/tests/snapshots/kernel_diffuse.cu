// kernels of `diffuse` (macros/src/backend/cuda_tests.rs)
extern "C" __global__ void diffuse_primal(
    const double* __restrict__ a_u,
    const unsigned long long a_u_len,
    const double a_alpha,
    double* __restrict__ a_out,
    const unsigned long long lz_n) {
  const unsigned long long lz_i = (unsigned long long)blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
  if (lz_i < lz_n) {
    unsigned long long v0 = lz_i;
    double v1 = a_alpha;
    double v2 = 0.0;
    unsigned long long v3 = a_u_len;
    unsigned long long v4 = 0;
    bool v5 = v0 > v4;
    double v10;
    if (v5) {
      unsigned long long v6 = 1;
      unsigned long long v7 = v0 - v6;
      double v8 = a_u[v7];
      v10 = v8;
    } else {
      double v9 = 0.0;
      v10 = v9;
    }
    unsigned long long v11 = 1;
    unsigned long long v12 = v0 + v11;
    bool v13 = v12 < v3;
    double v18;
    if (v13) {
      unsigned long long v14 = 1;
      unsigned long long v15 = v0 + v14;
      double v16 = a_u[v15];
      v18 = v16;
    } else {
      double v17 = 0.0;
      v18 = v17;
    }
    double v19 = a_u[v0];
    double v20 = 2.0;
    double v21 = a_u[v0];
    double v22 = v20 * v21;
    double v23 = v10 - v22;
    double v24 = v23 + v18;
    double v25 = v1 * v24;
    double v26 = v19 + v25;
    a_out[lz_i] = v26;
  }
}

extern "C" __global__ void diffuse_tangent(
    const double* __restrict__ a_u,
    const unsigned long long a_u_len,
    const double* __restrict__ d_u,
    const double a_alpha,
    const double d_alpha,
    double* __restrict__ a_out,
    double* __restrict__ d_out,
    const unsigned long long lz_n) {
  const unsigned long long lz_i = (unsigned long long)blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
  if (lz_i < lz_n) {
    double v27 = d_alpha;
    unsigned long long v0 = lz_i;
    double v1 = a_alpha;
    double v2 = 0.0;
    unsigned long long v3 = a_u_len;
    unsigned long long v4 = 0;
    bool v5 = v0 > v4;
    double v10;
    double v30;
    if (v5) {
      unsigned long long v6 = 1;
      unsigned long long v7 = v0 - v6;
      double v8 = a_u[v7];
      double v28 = d_u[v7];
      v10 = v8;
      v30 = v28;
    } else {
      double v9 = 0.0;
      double v29 = 0.0;
      v10 = v9;
      v30 = v29;
    }
    unsigned long long v11 = 1;
    unsigned long long v12 = v0 + v11;
    bool v13 = v12 < v3;
    double v18;
    double v33;
    if (v13) {
      unsigned long long v14 = 1;
      unsigned long long v15 = v0 + v14;
      double v16 = a_u[v15];
      double v31 = d_u[v15];
      v18 = v16;
      v33 = v31;
    } else {
      double v17 = 0.0;
      double v32 = 0.0;
      v18 = v17;
      v33 = v32;
    }
    double v19 = a_u[v0];
    double v34 = d_u[v0];
    double v20 = 2.0;
    double v21 = a_u[v0];
    double v35 = d_u[v0];
    double v22 = v20 * v21;
    double v36 = v20 * v35;
    double v23 = v10 - v22;
    double v37 = -v36;
    double v38 = v30 + v37;
    double v24 = v23 + v18;
    double v39 = v38 + v33;
    double v25 = v1 * v24;
    double v40 = v24 * v27;
    double v41 = v1 * v39;
    double v42 = v40 + v41;
    double v26 = v19 + v25;
    double v43 = v34 + v42;
    a_out[lz_i] = v26;
    d_out[lz_i] = v43;
  }
}

extern "C" __global__ void diffuse_adjoint(
    const double* __restrict__ a_u,
    const unsigned long long a_u_len,
    double* __restrict__ b_u,
    const double a_alpha,
    double* __restrict__ b_alpha,
    double* __restrict__ a_out,
    double* __restrict__ b_out,
    const unsigned long long lz_n) {
  const unsigned long long lz_i = (unsigned long long)blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
  double lz_b_alpha = 0.0;
  if (lz_i < lz_n) {
    double lz_tf[2]; int lz_nf = 0;
    {
      unsigned long long v0 = lz_i;
      double v1 = a_alpha;
      double v2 = 0.0;
      unsigned long long v3 = a_u_len;
      unsigned long long v4 = 0;
      bool v5 = v0 > v4;
      double v10;
      if (v5) {
        unsigned long long v6 = 1;
        unsigned long long v7 = v0 - v6;
        double v8 = a_u[v7];
        v10 = v8;
      } else {
        double v9 = 0.0;
        v10 = v9;
      }
      unsigned long long v11 = 1;
      unsigned long long v12 = v0 + v11;
      bool v13 = v12 < v3;
      double v18;
      if (v13) {
        unsigned long long v14 = 1;
        unsigned long long v15 = v0 + v14;
        double v16 = a_u[v15];
        v18 = v16;
      } else {
        double v17 = 0.0;
        v18 = v17;
      }
      double v19 = a_u[v0];
      double v20 = 2.0;
      double v21 = a_u[v0];
      double v22 = v20 * v21;
      double v23 = v10 - v22;
      double v24 = v23 + v18;
      double v25 = v1 * v24;
      double v26 = v19 + v25;
      lz_tf[lz_nf++] = v10;
      lz_tf[lz_nf++] = v18;
      a_out[lz_i] = v26;
    }
    {
      const double lz_dout = b_out[lz_i];
      double v44 = lz_dout;
      const double v18 = lz_tf[--lz_nf];
      const double v10 = lz_tf[--lz_nf];
      unsigned long long v0 = lz_i;
      double v1 = a_alpha;
      unsigned long long v3 = a_u_len;
      unsigned long long v4 = 0;
      bool v5 = v0 > v4;
      unsigned long long v11 = 1;
      unsigned long long v12 = v0 + v11;
      bool v13 = v12 < v3;
      double v20 = 2.0;
      double v21 = a_u[v0];
      double v22 = v20 * v21;
      double v23 = v10 - v22;
      double v24 = v23 + v18;
      double x3 = 0.0;
      double x4 = 0.0;
      double x5 = 0.0;
      double x6 = 0.0;
      double x7 = 0.0;
      double x8 = 0.0;
      double x9 = 0.0;
      double x10 = 0.0;
      double x11 = 0.0;
      double x12 = 0.0;
      double x13 = 0.0;
      double x14 = 0.0;
      x14 += v44;
      double v45 = x14;
      x5 += v45;
      x13 += v45;
      double v46 = x13;
      x11 += v46;
      x12 += v46;
      double v47 = x12;
      double v48 = v1 * v47;
      x10 += v48;
      double v49 = x11;
      double v50 = v24 * v49;
      lz_b_alpha += v50;
      double v51 = x10;
      x9 += v51;
      x4 += v51;
      double v52 = x9;
      x3 += v52;
      x8 += v52;
      double v53 = x8;
      double v54 = -v53;
      x7 += v54;
      double v55 = x7;
      double v56 = v20 * v55;
      x6 += v56;
      double v57 = x6;
      atomicAdd(&b_u[v0], v57);
      double v58 = x5;
      atomicAdd(&b_u[v0], v58);
      double v59 = x4;
      if (v13) {
        unsigned long long v14 = 1;
        unsigned long long v15 = v0 + v14;
        double x15 = 0.0;
        x15 += v59;
        double v60 = x15;
        atomicAdd(&b_u[v15], v60);
      }
      double v61 = x3;
      if (v5) {
        unsigned long long v6 = 1;
        unsigned long long v7 = v0 - v6;
        double x16 = 0.0;
        x16 += v61;
        double v62 = x16;
        atomicAdd(&b_u[v7], v62);
      }
      double v63 = lz_b_alpha;
    }
    b_out[lz_i] = 0.0;
  }
  lz_reduce_add(b_alpha, lz_b_alpha);
}
