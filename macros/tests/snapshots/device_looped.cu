// device functions of `looped` (macros/src/backend/cuda_tests.rs)
template <typename LZF> __device__ inline float lz_snap__looped(float a_x, unsigned long long a_n) {
  float v0 = a_x;
  unsigned long long v1 = a_n;
  float v2 = 0.0f;
  long long v3 = 0;
  long long v4 = 4;
  unsigned long long v5 = lz_trip_count(v3, v4);
  float c6 = v2;
  for (long long v7 = v3; v7 < v4; ++v7) {
    float v6 = c6;
    float v8 = (float)(v7);
    float v9 = v0 * v8;
    float v10 = sinf(v9);
    float v11 = v10 * v0;
    float v12 = v6 + v11;
    c6 = v12;
  }
  float v13 = c6;
  unsigned long long v14 = 2;
  bool v15 = v1 > v14;
  float v20;
  if (v15) {
    float v16 = 0.5f;
    float v17 = v16 * v0;
    float v18 = fmaxf(v13, v17);
    v20 = v18;
  } else {
    float v19 = -v13;
    v20 = v19;
  }
  return v20;
}
template <typename LZF, typename LZS1> __device__ inline lz_tup<float, float> lz_snap__looped__lz_jvp(float a_x, float d_x, unsigned long long a_n, LZS1 d_n) {
  float v21 = d_x;
  float v0 = a_x;
  unsigned long long v1 = a_n;
  float v2 = 0.0f;
  long long v3 = 0;
  long long v4 = 4;
  unsigned long long v5 = lz_trip_count(v3, v4);
  float v22 = 0.0f;
  float c6 = v2;
  float c23 = v22;
  for (long long v7 = v3; v7 < v4; ++v7) {
    float v6 = c6;
    float v23 = c23;
    float v8 = (float)(v7);
    float v9 = v0 * v8;
    float v25 = v8 * v21;
    float v10 = sinf(v9);
    float v26 = cosf(v9);
    float v27 = v26 * v25;
    float v11 = v10 * v0;
    float v28 = v0 * v27;
    float v29 = v10 * v21;
    float v30 = v28 + v29;
    float v12 = v6 + v11;
    float v31 = v23 + v30;
    c6 = v12;
    c23 = v31;
  }
  float v13 = c6;
  float v24 = c23;
  unsigned long long v14 = 2;
  bool v15 = v1 > v14;
  float v20;
  float v40;
  if (v15) {
    float v16 = 0.5f;
    float v17 = v16 * v0;
    float v32 = v16 * v21;
    float v18 = fmaxf(v13, v17);
    float v33 = lz_pick_max(v13, v17);
    float v34 = 1.0f;
    float v35 = v34 - v33;
    float v36 = v33 * v24;
    float v37 = v35 * v32;
    float v38 = v36 + v37;
    v20 = v18;
    v40 = v38;
  } else {
    float v19 = -v13;
    float v39 = -v24;
    v20 = v19;
    v40 = v39;
  }
  return lz_mk((float)(v20), (float)(v40));
}
template <typename LZF, typename LZS1> __device__ inline void lz_snap__looped__lz_bwd(float a_x, float* b_x, unsigned long long a_n, LZS1 b_n, float lz_dout) {
  float lz_b_x = (float)0;
  float lz_tf[9]; int lz_nf = 0;
  {
    float v0 = a_x;
    unsigned long long v1 = a_n;
    float v2 = 0.0f;
    long long v3 = 0;
    long long v4 = 4;
    unsigned long long v5 = lz_trip_count(v3, v4);
    float c6 = v2;
    for (long long v7 = v3; v7 < v4; ++v7) {
      float v6 = c6;
      float v8 = (float)(v7);
      float v9 = v0 * v8;
      float v10 = sinf(v9);
      float v26 = cosf(v9);
      float v11 = v10 * v0;
      float v12 = v6 + v11;
      lz_tf[lz_nf++] = v10;
      lz_tf[lz_nf++] = v26;
      c6 = v12;
    }
    float v13 = c6;
    unsigned long long v14 = 2;
    bool v15 = v1 > v14;
    float v20;
    if (v15) {
      float v16 = 0.5f;
      float v17 = v16 * v0;
      float v18 = fmaxf(v13, v17);
      float v33 = lz_pick_max(v13, v17);
      float v34 = 1.0f;
      float v35 = v34 - v33;
      v20 = v18;
    } else {
      float v19 = -v13;
      v20 = v19;
    }
    lz_tf[lz_nf++] = v13;
  }
  {
    float v41 = lz_dout;
    const float v13 = lz_tf[--lz_nf];
    float v0 = a_x;
    unsigned long long v1 = a_n;
    long long v3 = 0;
    long long v4 = 4;
    unsigned long long v14 = 2;
    bool v15 = v1 > v14;
    float x1 = 0.0f;
    float x2 = 0.0f;
    x2 += v41;
    float v42 = x2;
    if (v15) {
      float v16 = 0.5f;
      float v17 = v16 * v0;
      float v33 = lz_pick_max(v13, v17);
      float v34 = 1.0f;
      float v35 = v34 - v33;
      float x3 = 0.0f;
      float x4 = 0.0f;
      float x5 = 0.0f;
      float x6 = 0.0f;
      x6 += v42;
      float v43 = x6;
      x4 += v43;
      x5 += v43;
      float v44 = x5;
      float v45 = v35 * v44;
      x3 += v45;
      float v46 = x4;
      float v47 = v33 * v46;
      x1 += v47;
      float v48 = x3;
      float v49 = v16 * v48;
      lz_b_x += v49;
    } else {
      float x7 = 0.0f;
      x7 += v42;
      float v50 = x7;
      float v51 = -v50;
      x1 += v51;
    }
    float v52 = x1;
    float x8 = v52;
    for (long long lz_k7 = v4; lz_k7 > v3; ) {
      --lz_k7;
      const long long v7 = lz_k7;
      float v53 = x8;
      const float v26 = lz_tf[--lz_nf];
      const float v10 = lz_tf[--lz_nf];
      float v8 = (float)(v7);
      float x9 = 0.0f;
      float x10 = 0.0f;
      float x11 = 0.0f;
      float x12 = 0.0f;
      float x13 = 0.0f;
      float x14 = 0.0f;
      float x15 = 0.0f;
      x15 += v53;
      float v54 = x15;
      x9 += v54;
      x14 += v54;
      float v55 = x14;
      x12 += v55;
      x13 += v55;
      float v56 = x13;
      float v57 = v10 * v56;
      lz_b_x += v57;
      float v58 = x12;
      float v59 = v0 * v58;
      x11 += v59;
      float v60 = x11;
      float v61 = v26 * v60;
      x10 += v61;
      float v62 = x10;
      float v63 = v8 * v62;
      lz_b_x += v63;
      float v64 = x9;
      x8 = v64;
      float v65 = 0.0f;
      x9 = v65;
    }
    float v66 = x8;
    float v67 = lz_b_x;
  }
  if (b_x) *b_x += lz_b_x;
}
