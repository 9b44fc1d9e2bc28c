// device functions of `caller` (macros/src/backend/cuda_tests.rs)
template <typename LZF> __device__ inline double lz_snap__caller(double a_x, double a_y) {
  double v0 = a_x;
  double v1 = a_y;
  double v2 = lz_snap__smooth<double>(v0, v1);
  double v3 = 2.0;
  double v4 = lz_snap__smooth<double>(v1, v3);
  double v5 = v2 * v4;
  double v6 = sqrt(v2);
  double v7 = v5 + v6;
  return v7;
}
template <typename LZF> __device__ inline lz_tup<double, double> lz_snap__caller__lz_jvp(double a_x, double d_x, double a_y, double d_y) {
  double v8 = d_x;
  double v9 = d_y;
  double v0 = a_x;
  double v1 = a_y;
  auto v10 = lz_snap__smooth__lz_jvp<double>(v0, v8, v1, v9);
  double v2 = lz_get<0>(v10);
  double v11 = lz_get<1>(v10);
  double v3 = 2.0;
  auto v12 = lz_snap__smooth__lz_jvp<double>(v1, v9, v3, lz_zero_t());
  double v4 = lz_get<0>(v12);
  double v13 = lz_get<1>(v12);
  double v5 = v2 * v4;
  double v14 = v4 * v11;
  double v15 = v2 * v13;
  double v16 = v14 + v15;
  double v6 = sqrt(v2);
  double v17 = 2.0;
  double v18 = v17 * v6;
  double v19 = lz_ldiv0(v11, v18);
  double v7 = v5 + v6;
  double v20 = v16 + v19;
  return lz_mk((double)(v7), (double)(v20));
}
template <typename LZF> __device__ inline void lz_snap__caller__lz_bwd(double a_x, double* b_x, double a_y, double* b_y, double lz_dout) {
  double lz_b_x = (double)0;
  double lz_b_y = (double)0;
  double lz_tf[3]; int lz_nf = 0;
  {
    double v0 = a_x;
    double v1 = a_y;
    double v2 = lz_snap__smooth<double>(v0, v1);
    double v3 = 2.0;
    double v4 = lz_snap__smooth<double>(v1, v3);
    double v5 = v2 * v4;
    double v6 = sqrt(v2);
    double v17 = 2.0;
    double v18 = v17 * v6;
    double v7 = v5 + v6;
    lz_tf[lz_nf++] = v2;
    lz_tf[lz_nf++] = v4;
    lz_tf[lz_nf++] = v18;
  }
  {
    double v21 = lz_dout;
    const double v18 = lz_tf[--lz_nf];
    const double v4 = lz_tf[--lz_nf];
    const double v2 = lz_tf[--lz_nf];
    double v0 = a_x;
    double v1 = a_y;
    double v3 = 2.0;
    double x2 = 0.0;
    double x3 = 0.0;
    double x4 = 0.0;
    double x5 = 0.0;
    double x6 = 0.0;
    double x7 = 0.0;
    double x8 = 0.0;
    x8 += v21;
    double v22 = x8;
    x6 += v22;
    x7 += v22;
    double v23 = x7;
    double v24 = lz_ldiv0(v23, v18);
    x2 += v24;
    double v25 = x6;
    x4 += v25;
    x5 += v25;
    double v26 = x5;
    double v27 = v2 * v26;
    x3 += v27;
    double v28 = x4;
    double v29 = v4 * v28;
    x2 += v29;
    double v30 = x3;
    lz_snap__smooth__lz_bwd<double>(v1, &lz_b_y, v3, lz_zero_t(), v30);
    double v32 = x2;
    lz_snap__smooth__lz_bwd<double>(v0, &lz_b_x, v1, &lz_b_y, v32);
    double v34 = lz_b_y;
    double v35 = lz_b_x;
  }
  if (b_x) *b_x += lz_b_x;
  if (b_y) *b_y += lz_b_y;
}
