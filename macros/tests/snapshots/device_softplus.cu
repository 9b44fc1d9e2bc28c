// device functions of `softplus` (macros/src/backend/cuda_tests.rs)
template <typename LZF> __device__ inline LZF lz_snap__softplus(LZF a_x, LZF a_beta) {
  LZF v0 = a_x;
  LZF v1 = a_beta;
  LZF v2 = v1 * v0;
  LZF v3 = (LZF)0;
  bool v4 = v2 > v3;
  LZF v11;
  if (v4) {
    LZF v5 = -v2;
    LZF v6 = lz_exp(v5);
    LZF v7 = lz_ln_1p(v6);
    LZF v8 = v2 + v7;
    v11 = v8;
  } else {
    LZF v9 = lz_exp(v2);
    LZF v10 = lz_ln_1p(v9);
    v11 = v10;
  }
  LZF v12 = v11 / v1;
  return v12;
}
template <typename LZF> __device__ inline lz_tup<LZF, LZF> lz_snap__softplus__lz_jvp(LZF a_x, LZF d_x, LZF a_beta, LZF d_beta) {
  LZF v13 = d_x;
  LZF v14 = d_beta;
  LZF v0 = a_x;
  LZF v1 = a_beta;
  LZF v2 = v1 * v0;
  LZF v15 = v0 * v14;
  LZF v16 = v1 * v13;
  LZF v17 = v15 + v16;
  LZF v3 = (LZF)0;
  bool v4 = v2 > v3;
  LZF v11;
  LZF v28;
  if (v4) {
    LZF v5 = -v2;
    LZF v18 = -v17;
    LZF v6 = lz_exp(v5);
    LZF v19 = lz_lmul0(v6, v18);
    LZF v7 = lz_ln_1p(v6);
    LZF v20 = ((LZF)1.0);
    LZF v21 = v20 + v6;
    LZF v22 = lz_ldiv0(v19, v21);
    LZF v8 = v2 + v7;
    LZF v23 = v17 + v22;
    v11 = v8;
    v28 = v23;
  } else {
    LZF v9 = lz_exp(v2);
    LZF v24 = lz_lmul0(v9, v17);
    LZF v10 = lz_ln_1p(v9);
    LZF v25 = ((LZF)1.0);
    LZF v26 = v25 + v9;
    LZF v27 = lz_ldiv0(v24, v26);
    v11 = v10;
    v28 = v27;
  }
  LZF v12 = v11 / v1;
  LZF v29 = v12 / v1;
  LZF v30 = -v29;
  LZF v31 = lz_ldiv0(v28, v1);
  LZF v32 = lz_lmul0(v30, v14);
  LZF v33 = v31 + v32;
  return lz_mk((LZF)(v12), (LZF)(v33));
}
template <typename LZF> __device__ inline void lz_snap__softplus__lz_bwd(LZF a_x, LZF* b_x, LZF a_beta, LZF* b_beta, LZF lz_dout) {
  LZF lz_b_x = (LZF)0;
  LZF lz_b_beta = (LZF)0;
  LZF lz_tf[2]; int lz_nf = 0;
  {
    LZF v0 = a_x;
    LZF v1 = a_beta;
    LZF v2 = v1 * v0;
    LZF v3 = (LZF)0;
    bool v4 = v2 > v3;
    LZF v11;
    if (v4) {
      LZF v5 = -v2;
      LZF v6 = lz_exp(v5);
      LZF v7 = lz_ln_1p(v6);
      LZF v20 = ((LZF)1.0);
      LZF v21 = v20 + v6;
      LZF v8 = v2 + v7;
      lz_tf[lz_nf++] = v6;
      v11 = v8;
    } else {
      LZF v9 = lz_exp(v2);
      LZF v10 = lz_ln_1p(v9);
      LZF v25 = ((LZF)1.0);
      LZF v26 = v25 + v9;
      lz_tf[lz_nf++] = v9;
      v11 = v10;
    }
    LZF v12 = v11 / v1;
    LZF v29 = v12 / v1;
    LZF v30 = -v29;
    lz_tf[lz_nf++] = v11;
  }
  {
    LZF v34 = lz_dout;
    const LZF v11 = lz_tf[--lz_nf];
    LZF v0 = a_x;
    LZF v1 = a_beta;
    LZF v2 = v1 * v0;
    LZF v3 = (LZF)0;
    bool v4 = v2 > v3;
    LZF v12 = v11 / v1;
    LZF v29 = v12 / v1;
    LZF v30 = -v29;
    LZF x2 = ((LZF)0.0);
    LZF x3 = ((LZF)0.0);
    LZF x4 = ((LZF)0.0);
    LZF x5 = ((LZF)0.0);
    LZF x6 = ((LZF)0.0);
    LZF x7 = ((LZF)0.0);
    LZF x8 = ((LZF)0.0);
    x8 += v34;
    LZF v35 = x8;
    x6 += v35;
    x7 += v35;
    LZF v36 = x7;
    LZF v37 = lz_lmul0(v30, v36);
    lz_b_beta += v37;
    LZF v38 = x6;
    LZF v39 = lz_ldiv0(v38, v1);
    x5 += v39;
    LZF v40 = x5;
    if (v4) {
      const LZF v6 = lz_tf[--lz_nf];
      LZF v20 = ((LZF)1.0);
      LZF v21 = v20 + v6;
      LZF x9 = ((LZF)0.0);
      LZF x10 = ((LZF)0.0);
      LZF x11 = ((LZF)0.0);
      LZF x12 = ((LZF)0.0);
      x12 += v40;
      LZF v41 = x12;
      x4 += v41;
      x11 += v41;
      LZF v42 = x11;
      LZF v43 = lz_ldiv0(v42, v21);
      x10 += v43;
      LZF v44 = x10;
      LZF v45 = lz_lmul0(v6, v44);
      x9 += v45;
      LZF v46 = x9;
      LZF v47 = -v46;
      x4 += v47;
    } else {
      const LZF v9 = lz_tf[--lz_nf];
      LZF v25 = ((LZF)1.0);
      LZF v26 = v25 + v9;
      LZF x13 = ((LZF)0.0);
      LZF x14 = ((LZF)0.0);
      x14 += v40;
      LZF v48 = x14;
      LZF v49 = lz_ldiv0(v48, v26);
      x13 += v49;
      LZF v50 = x13;
      LZF v51 = lz_lmul0(v9, v50);
      x4 += v51;
    }
    LZF v52 = x4;
    x2 += v52;
    x3 += v52;
    LZF v53 = x3;
    LZF v54 = v1 * v53;
    lz_b_x += v54;
    LZF v55 = x2;
    LZF v56 = v0 * v55;
    lz_b_beta += v56;
    LZF v57 = lz_b_beta;
    LZF v58 = lz_b_x;
  }
  if (b_x) *b_x += lz_b_x;
  if (b_beta) *b_beta += lz_b_beta;
}
