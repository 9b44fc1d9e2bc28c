fn rosenbrock(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() - 1 {
        let a = 1.0 - x[i];
        let b = x[i + 1] - x[i] * x[i];
        s += a * a + 100.0 * b * b;
    }
    s
}
#[doc(hidden)]
#[inline]
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
fn rosenbrock__lz_jvp(
    x: &[f64],
    __d0: impl ::leibniz::__private::TanRef<[f64]>,
) -> (f64, f64) {
    let __d0_g = ::leibniz::__private::TanRef::get(&__d0, &*x);
    let __d0 = &*__d0_g;
    let __v0: f64 = 0f64;
    let __v1: usize = 0;
    let __v2: usize = (*x).len();
    let __v3: usize = 1;
    let __v4: usize = __v2 - __v3;
    let __v5: usize = ::leibniz::__private::trip_count(__v1, __v4);
    let __v25: f64 = <f64 as ::leibniz::__private::Zero>::zero();
    let mut __c6: f64 = __v0;
    let mut __c26: f64 = __v25;
    for __v7 in __v1..__v4 {
        let __v7: usize = __v7;
        let __v6: f64 = __c6;
        let __v26: f64 = __c26;
        let __v8: f64 = 1f64;
        let __v9: f64 = x[__v7];
        let __v28: f64 = __d0[__v7];
        let __v10: f64 = __v8 - __v9;
        let __v29: f64 = -__v28;
        let __v12: usize = __v7 + __v3;
        let __v13: f64 = x[__v12];
        let __v30: f64 = __d0[__v12];
        let __v16: f64 = __v9 * __v9;
        let __v31: f64 = __v9 * __v28;
        let __v32: f64 = __v9 * __v28;
        let __v33: f64 = __v31 + __v32;
        let __v17: f64 = __v13 - __v16;
        let __v34: f64 = -__v33;
        let __v35: f64 = __v30 + __v34;
        let __v18: f64 = __v10 * __v10;
        let __v36: f64 = __v10 * __v29;
        let __v37: f64 = __v10 * __v29;
        let __v38: f64 = __v36 + __v37;
        let __v19: f64 = 100f64;
        let __v20: f64 = __v19 * __v17;
        let __v39: f64 = __v19 * __v35;
        let __v21: f64 = __v20 * __v17;
        let __v40: f64 = __v17 * __v39;
        let __v41: f64 = __v20 * __v35;
        let __v42: f64 = __v40 + __v41;
        let __v22: f64 = __v18 + __v21;
        let __v43: f64 = __v38 + __v42;
        let __v23: f64 = __v6 + __v22;
        let __v44: f64 = __v26 + __v43;
        __c6 = __v23;
        __c26 = __v44;
    }
    let __v24: f64 = __c6;
    let __v27: f64 = __c26;
    (__v24, __v27)
}
#[doc(hidden)]
#[inline]
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
fn rosenbrock__lz_fwd(x: &[f64], __tape: &mut ::leibniz::__private::TapeBuf) -> f64 {
    let __v0: f64 = 0f64;
    let __v1: usize = 0;
    let __v2: usize = (*x).len();
    let __v3: usize = 1;
    let __v4: usize = __v2 - __v3;
    let __v5: usize = ::leibniz::__private::trip_count(__v1, __v4);
    let mut __c6: f64 = __v0;
    for __v7 in __v1..__v4 {
        let __v7: usize = __v7;
        let __v6: f64 = __c6;
        let __v8: f64 = 1f64;
        let __v9: f64 = x[__v7];
        let __v10: f64 = __v8 - __v9;
        let __v12: usize = __v7 + __v3;
        let __v13: f64 = x[__v12];
        let __v16: f64 = __v9 * __v9;
        let __v17: f64 = __v13 - __v16;
        let __v18: f64 = __v10 * __v10;
        let __v19: f64 = 100f64;
        let __v20: f64 = __v19 * __v17;
        let __v21: f64 = __v20 * __v17;
        let __v22: f64 = __v18 + __v21;
        let __v23: f64 = __v6 + __v22;
        __c6 = __v23;
    }
    let __v24: f64 = __c6;
    __v24
}
#[doc(hidden)]
#[inline]
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
fn rosenbrock__lz_bwd(
    x: &[f64],
    __b0: impl ::leibniz::__private::ShadowOf<[f64]>,
    __dout: f64,
    __tape: &mut ::leibniz::__private::TapeRead<'_>,
) -> () {
    let mut __b0_g = ::leibniz::__private::ShadowOf::get(
        __b0,
        ::core::option::Option::Some(&*x),
    );
    let __b0 = &mut *__b0_g;
    let __v45: f64 = __dout;
    let __v1: usize = 0;
    let __v2: usize = (*x).len();
    let __v3: usize = 1;
    let __v4: usize = __v2 - __v3;
    let mut __x2_b27: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    __x2_b27 = __x2_b27 + __v45;
    let __v46: f64 = __x2_b27;
    let mut __x3_bc26: f64 = __v46;
    for __v7 in (__v1..__v4).rev() {
        let __v7: usize = __v7;
        let __v47: f64 = __x3_bc26;
        let __v8: f64 = 1f64;
        let __v9: f64 = x[__v7];
        let __v10: f64 = __v8 - __v9;
        let __v12: usize = __v7 + __v3;
        let __v13: f64 = x[__v12];
        let __v16: f64 = __v9 * __v9;
        let __v17: f64 = __v13 - __v16;
        let __v19: f64 = 100f64;
        let __v20: f64 = __v19 * __v17;
        let mut __x4_b26: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x5_b28: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x6_b29: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x7_b30: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x8_b31: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x9_b32: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x10_b33: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x11_b34: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x12_b35: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x13_b36: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x14_b37: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x15_b38: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x16_b39: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x17_b40: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x18_b41: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x19_b42: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x20_b43: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x21_b44: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        __x21_b44 = __x21_b44 + __v47;
        let __v48: f64 = __x21_b44;
        __x4_b26 = __x4_b26 + __v48;
        __x20_b43 = __x20_b43 + __v48;
        let __v49: f64 = __x20_b43;
        __x15_b38 = __x15_b38 + __v49;
        __x19_b42 = __x19_b42 + __v49;
        let __v50: f64 = __x19_b42;
        __x17_b40 = __x17_b40 + __v50;
        __x18_b41 = __x18_b41 + __v50;
        let __v51: f64 = __x18_b41;
        let __v52: f64 = __v20 * __v51;
        __x12_b35 = __x12_b35 + __v52;
        let __v53: f64 = __x17_b40;
        let __v54: f64 = __v17 * __v53;
        __x16_b39 = __x16_b39 + __v54;
        let __v55: f64 = __x16_b39;
        let __v56: f64 = __v19 * __v55;
        __x12_b35 = __x12_b35 + __v56;
        let __v57: f64 = __x15_b38;
        __x13_b36 = __x13_b36 + __v57;
        __x14_b37 = __x14_b37 + __v57;
        let __v58: f64 = __x14_b37;
        let __v59: f64 = __v10 * __v58;
        __x6_b29 = __x6_b29 + __v59;
        let __v60: f64 = __x13_b36;
        let __v61: f64 = __v10 * __v60;
        __x6_b29 = __x6_b29 + __v61;
        let __v62: f64 = __x12_b35;
        __x7_b30 = __x7_b30 + __v62;
        __x11_b34 = __x11_b34 + __v62;
        let __v63: f64 = __x11_b34;
        let __v64: f64 = -__v63;
        __x10_b33 = __x10_b33 + __v64;
        let __v65: f64 = __x10_b33;
        __x8_b31 = __x8_b31 + __v65;
        __x9_b32 = __x9_b32 + __v65;
        let __v66: f64 = __x9_b32;
        let __v67: f64 = __v9 * __v66;
        __x5_b28 = __x5_b28 + __v67;
        let __v68: f64 = __x8_b31;
        let __v69: f64 = __v9 * __v68;
        __x5_b28 = __x5_b28 + __v69;
        let __v70: f64 = __x7_b30;
        __b0[__v12] = __b0[__v12] + __v70;
        let __v71: f64 = __x6_b29;
        let __v72: f64 = -__v71;
        __x5_b28 = __x5_b28 + __v72;
        let __v73: f64 = __x5_b28;
        __b0[__v7] = __b0[__v7] + __v73;
        let __v74: f64 = __x4_b26;
        __x3_bc26 = __v74;
        let __v75: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        __x4_b26 = __v75;
    }
    let __v76: f64 = __x3_bc26;
}
#[doc(hidden)]
#[inline]
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
fn rosenbrock__lz_fwd_jvp(
    x: &[f64],
    __d0: impl ::leibniz::__private::TanRef<[f64]>,
    __tape: &mut ::leibniz::__private::TapeBuf,
) -> (f64, f64) {
    let __d0_g = ::leibniz::__private::TanRef::get(&__d0, &*x);
    let __d0 = &*__d0_g;
    let __v0: f64 = 0f64;
    let __v1: usize = 0;
    let __v2: usize = (*x).len();
    let __v3: usize = 1;
    let __v4: usize = __v2 - __v3;
    let __v5: usize = ::leibniz::__private::trip_count(__v1, __v4);
    let __v45: f64 = <f64 as ::leibniz::__private::Zero>::zero();
    let mut __c6: f64 = __v0;
    let mut __c46: f64 = __v45;
    for __v7 in __v1..__v4 {
        let __v7: usize = __v7;
        let __v6: f64 = __c6;
        let __v46: f64 = __c46;
        let __v8: f64 = 1f64;
        let __v9: f64 = x[__v7];
        let __v48: f64 = __d0[__v7];
        let __v10: f64 = __v8 - __v9;
        let __v49: f64 = -__v48;
        let __v12: usize = __v7 + __v3;
        let __v13: f64 = x[__v12];
        let __v50: f64 = __d0[__v12];
        let __v16: f64 = __v9 * __v9;
        let __v51: f64 = __v9 * __v48;
        let __v52: f64 = __v9 * __v48;
        let __v53: f64 = __v51 + __v52;
        let __v17: f64 = __v13 - __v16;
        let __v54: f64 = -__v53;
        let __v55: f64 = __v50 + __v54;
        let __v18: f64 = __v10 * __v10;
        let __v56: f64 = __v10 * __v49;
        let __v57: f64 = __v10 * __v49;
        let __v58: f64 = __v56 + __v57;
        let __v19: f64 = 100f64;
        let __v20: f64 = __v19 * __v17;
        let __v59: f64 = __v19 * __v55;
        let __v21: f64 = __v20 * __v17;
        let __v60: f64 = __v17 * __v59;
        let __v61: f64 = __v20 * __v55;
        let __v62: f64 = __v60 + __v61;
        let __v22: f64 = __v18 + __v21;
        let __v63: f64 = __v58 + __v62;
        let __v23: f64 = __v6 + __v22;
        let __v64: f64 = __v46 + __v63;
        __c6 = __v23;
        __c46 = __v64;
    }
    let __v24: f64 = __c6;
    let __v47: f64 = __c46;
    (__v24, __v47)
}
#[doc(hidden)]
#[inline]
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
fn rosenbrock__lz_bwd_jvp(
    x: &[f64],
    __e0: impl ::leibniz::__private::TanRef<[f64]>,
    __b0: impl ::leibniz::__private::ShadowOf<[f64]>,
    __f0: impl ::leibniz::__private::ShadowOf<[f64]>,
    __dout: f64,
    __ddout: impl ::leibniz::__private::TanVal<f64>,
    __tape: &mut ::leibniz::__private::TapeRead<'_>,
) -> ((), ()) {
    let __e0_g = ::leibniz::__private::TanRef::get(&__e0, &*x);
    let __e0 = &*__e0_g;
    let mut __b0_g = ::leibniz::__private::ShadowOf::get(
        __b0,
        ::core::option::Option::Some(&*x),
    );
    let __b0 = &mut *__b0_g;
    let mut __f0_g = ::leibniz::__private::ShadowOf::get(
        __f0,
        ::core::option::Option::Some(&*__b0),
    );
    let __f0 = &mut *__f0_g;
    let __ddout = ::leibniz::__private::TanVal::get(__ddout, &__dout);
    let __v77: f64 = __ddout;
    let __v45: f64 = __dout;
    let __v1: usize = 0;
    let __v2: usize = (*x).len();
    let __v3: usize = 1;
    let __v4: usize = __v2 - __v3;
    let mut __x2_b27: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x24_db27: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    __x2_b27 = __x2_b27 + __v45;
    __x24_db27 = __x24_db27 + __v77;
    let __v46: f64 = __x2_b27;
    let __v78: f64 = __x24_db27;
    let mut __x3_bc26: f64 = __v46;
    let mut __x25_dbc26: f64 = __v78;
    for __v7 in (__v1..__v4).rev() {
        let __v7: usize = __v7;
        let __v47: f64 = __x3_bc26;
        let __v79: f64 = __x25_dbc26;
        let __v8: f64 = 1f64;
        let __v9: f64 = x[__v7];
        let __v80: f64 = __e0[__v7];
        let __v10: f64 = __v8 - __v9;
        let __v81: f64 = -__v80;
        let __v12: usize = __v7 + __v3;
        let __v13: f64 = x[__v12];
        let __v82: f64 = __e0[__v12];
        let __v16: f64 = __v9 * __v9;
        let __v83: f64 = __v9 * __v80;
        let __v84: f64 = __v9 * __v80;
        let __v85: f64 = __v83 + __v84;
        let __v17: f64 = __v13 - __v16;
        let __v86: f64 = -__v85;
        let __v87: f64 = __v82 + __v86;
        let __v19: f64 = 100f64;
        let __v20: f64 = __v19 * __v17;
        let __v88: f64 = __v19 * __v87;
        let mut __x4_b26: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x26_db26: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x5_b28: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x27_db28: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x6_b29: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x28_db29: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x7_b30: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x29_db30: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x8_b31: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x30_db31: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x9_b32: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x31_db32: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x10_b33: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x32_db33: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x11_b34: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x33_db34: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x12_b35: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x34_db35: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x13_b36: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x35_db36: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x14_b37: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x36_db37: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x15_b38: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x37_db38: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x16_b39: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x38_db39: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x17_b40: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x39_db40: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x18_b41: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x40_db41: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x19_b42: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x41_db42: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x20_b43: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x42_db43: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x21_b44: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x43_db44: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        __x21_b44 = __x21_b44 + __v47;
        __x43_db44 = __x43_db44 + __v79;
        let __v48: f64 = __x21_b44;
        let __v89: f64 = __x43_db44;
        __x4_b26 = __x4_b26 + __v48;
        __x26_db26 = __x26_db26 + __v89;
        __x20_b43 = __x20_b43 + __v48;
        __x42_db43 = __x42_db43 + __v89;
        let __v49: f64 = __x20_b43;
        let __v90: f64 = __x42_db43;
        __x15_b38 = __x15_b38 + __v49;
        __x37_db38 = __x37_db38 + __v90;
        __x19_b42 = __x19_b42 + __v49;
        __x41_db42 = __x41_db42 + __v90;
        let __v50: f64 = __x19_b42;
        let __v91: f64 = __x41_db42;
        __x17_b40 = __x17_b40 + __v50;
        __x39_db40 = __x39_db40 + __v91;
        __x18_b41 = __x18_b41 + __v50;
        __x40_db41 = __x40_db41 + __v91;
        let __v51: f64 = __x18_b41;
        let __v92: f64 = __x40_db41;
        let __v52: f64 = __v20 * __v51;
        let __v93: f64 = __v51 * __v88;
        let __v94: f64 = __v20 * __v92;
        let __v95: f64 = __v93 + __v94;
        __x12_b35 = __x12_b35 + __v52;
        __x34_db35 = __x34_db35 + __v95;
        let __v53: f64 = __x17_b40;
        let __v96: f64 = __x39_db40;
        let __v54: f64 = __v17 * __v53;
        let __v97: f64 = __v53 * __v87;
        let __v98: f64 = __v17 * __v96;
        let __v99: f64 = __v97 + __v98;
        __x16_b39 = __x16_b39 + __v54;
        __x38_db39 = __x38_db39 + __v99;
        let __v55: f64 = __x16_b39;
        let __v100: f64 = __x38_db39;
        let __v56: f64 = __v19 * __v55;
        let __v101: f64 = __v19 * __v100;
        __x12_b35 = __x12_b35 + __v56;
        __x34_db35 = __x34_db35 + __v101;
        let __v57: f64 = __x15_b38;
        let __v102: f64 = __x37_db38;
        __x13_b36 = __x13_b36 + __v57;
        __x35_db36 = __x35_db36 + __v102;
        __x14_b37 = __x14_b37 + __v57;
        __x36_db37 = __x36_db37 + __v102;
        let __v58: f64 = __x14_b37;
        let __v103: f64 = __x36_db37;
        let __v59: f64 = __v10 * __v58;
        let __v104: f64 = __v58 * __v81;
        let __v105: f64 = __v10 * __v103;
        let __v106: f64 = __v104 + __v105;
        __x6_b29 = __x6_b29 + __v59;
        __x28_db29 = __x28_db29 + __v106;
        let __v60: f64 = __x13_b36;
        let __v107: f64 = __x35_db36;
        let __v61: f64 = __v10 * __v60;
        let __v108: f64 = __v60 * __v81;
        let __v109: f64 = __v10 * __v107;
        let __v110: f64 = __v108 + __v109;
        __x6_b29 = __x6_b29 + __v61;
        __x28_db29 = __x28_db29 + __v110;
        let __v62: f64 = __x12_b35;
        let __v111: f64 = __x34_db35;
        __x7_b30 = __x7_b30 + __v62;
        __x29_db30 = __x29_db30 + __v111;
        __x11_b34 = __x11_b34 + __v62;
        __x33_db34 = __x33_db34 + __v111;
        let __v63: f64 = __x11_b34;
        let __v112: f64 = __x33_db34;
        let __v64: f64 = -__v63;
        let __v113: f64 = -__v112;
        __x10_b33 = __x10_b33 + __v64;
        __x32_db33 = __x32_db33 + __v113;
        let __v65: f64 = __x10_b33;
        let __v114: f64 = __x32_db33;
        __x8_b31 = __x8_b31 + __v65;
        __x30_db31 = __x30_db31 + __v114;
        __x9_b32 = __x9_b32 + __v65;
        __x31_db32 = __x31_db32 + __v114;
        let __v66: f64 = __x9_b32;
        let __v115: f64 = __x31_db32;
        let __v67: f64 = __v9 * __v66;
        let __v116: f64 = __v66 * __v80;
        let __v117: f64 = __v9 * __v115;
        let __v118: f64 = __v116 + __v117;
        __x5_b28 = __x5_b28 + __v67;
        __x27_db28 = __x27_db28 + __v118;
        let __v68: f64 = __x8_b31;
        let __v119: f64 = __x30_db31;
        let __v69: f64 = __v9 * __v68;
        let __v120: f64 = __v68 * __v80;
        let __v121: f64 = __v9 * __v119;
        let __v122: f64 = __v120 + __v121;
        __x5_b28 = __x5_b28 + __v69;
        __x27_db28 = __x27_db28 + __v122;
        let __v70: f64 = __x7_b30;
        let __v123: f64 = __x29_db30;
        __b0[__v12] = __b0[__v12] + __v70;
        __f0[__v12] = __f0[__v12] + __v123;
        let __v71: f64 = __x6_b29;
        let __v124: f64 = __x28_db29;
        let __v72: f64 = -__v71;
        let __v125: f64 = -__v124;
        __x5_b28 = __x5_b28 + __v72;
        __x27_db28 = __x27_db28 + __v125;
        let __v73: f64 = __x5_b28;
        let __v126: f64 = __x27_db28;
        __b0[__v7] = __b0[__v7] + __v73;
        __f0[__v7] = __f0[__v7] + __v126;
        let __v74: f64 = __x4_b26;
        let __v127: f64 = __x26_db26;
        __x3_bc26 = __v74;
        __x25_dbc26 = __v127;
        let __v75: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        __x4_b26 = __v75;
        let __v128: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        __x26_db26 = __v128;
    }
    let __v76: f64 = __x3_bc26;
    ((), ())
}
#[doc(hidden)]
#[inline]
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
fn rosenbrock__lz_vjpc(
    x: &[f64],
    __b0: impl ::leibniz::__private::ShadowOf<[f64]>,
    __dout: f64,
) -> f64 {
    let mut __b0_g = ::leibniz::__private::ShadowOf::get(
        __b0,
        ::core::option::Option::Some(&*x),
    );
    let __b0 = &mut *__b0_g;
    let mut __tape_buf = ::leibniz::__private::TapeBuf::new();
    let __tape = &mut __tape_buf;
    #[allow(unsafe_code)]
    let __lz_r = {
        let __v45: f64 = __dout;
        ::leibniz::__private::same_len(&(((*__b0)))[..], &(((*x)))[..], "x");
        let __v0: f64 = 0f64;
        let __v1: usize = 0;
        let __v2: usize = (*x).len();
        let __v3: usize = 1;
        let __v4: usize = __v2 - __v3;
        let __v5: usize = ::leibniz::__private::trip_count(__v1, __v4);
        let mut __x3_bc26: f64 = __v45;
        let __v78: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        let __v77: f64 = -__v78;
        ::leibniz::__private::check_range(
            &(((*x)))[..],
            __v1,
            __v4,
            false,
            1usize,
            0usize,
        );
        ::leibniz::__private::check_range(
            &(((*x)))[..],
            __v1,
            __v4,
            false,
            1usize,
            __v3,
        );
        let mut __c6: f64 = __v0;
        let mut __c79: f64 = __v77;
        for __v7 in __v1..__v4 {
            let __v7: usize = __v7;
            let __v6: f64 = __c6;
            let __v79: f64 = __c79;
            let __v8: f64 = 1f64;
            let __v9: f64 = (*x)[unsafe { ::leibniz::__private::Unchecked::new(__v7) }];
            let __v10: f64 = __v8 - __v9;
            let __v12: usize = __v7 + __v3;
            let __v13: f64 = (*x)[unsafe {
                ::leibniz::__private::Unchecked::new(__v12)
            }];
            let __v16: f64 = __v9 * __v9;
            let __v17: f64 = __v13 - __v16;
            let __v18: f64 = __v10 * __v10;
            let __v19: f64 = 100f64;
            let __v20: f64 = __v19 * __v17;
            let __v21: f64 = __v20 * __v17;
            let __v22: f64 = __v18 + __v21;
            let __v23: f64 = __v6 + __v22;
            let __v47: f64 = __x3_bc26;
            let mut __x4_b26: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x5_b28: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x6_b29: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x7_b30: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x8_b31: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x9_b32: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x10_b33: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x11_b34: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x12_b35: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x13_b36: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x14_b37: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x15_b38: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x16_b39: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x17_b40: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x18_b41: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x19_b42: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x20_b43: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x21_b44: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            __x21_b44 = __x21_b44 + __v47;
            let __v48: f64 = __x21_b44;
            __x4_b26 = __x4_b26 + __v48;
            __x20_b43 = __x20_b43 + __v48;
            let __v49: f64 = __x20_b43;
            __x15_b38 = __x15_b38 + __v49;
            __x19_b42 = __x19_b42 + __v49;
            let __v50: f64 = __x19_b42;
            __x17_b40 = __x17_b40 + __v50;
            __x18_b41 = __x18_b41 + __v50;
            let __v51: f64 = __x18_b41;
            let __v52: f64 = __v20 * __v51;
            __x12_b35 = __x12_b35 + __v52;
            let __v53: f64 = __x17_b40;
            let __v54: f64 = __v17 * __v53;
            __x16_b39 = __x16_b39 + __v54;
            let __v55: f64 = __x16_b39;
            let __v56: f64 = __v19 * __v55;
            __x12_b35 = __x12_b35 + __v56;
            let __v57: f64 = __x15_b38;
            __x13_b36 = __x13_b36 + __v57;
            __x14_b37 = __x14_b37 + __v57;
            let __v58: f64 = __x14_b37;
            let __v59: f64 = __v10 * __v58;
            __x6_b29 = __x6_b29 + __v59;
            let __v60: f64 = __x13_b36;
            let __v61: f64 = __v10 * __v60;
            __x6_b29 = __x6_b29 + __v61;
            let __v62: f64 = __x12_b35;
            __x7_b30 = __x7_b30 + __v62;
            __x11_b34 = __x11_b34 + __v62;
            let __v63: f64 = __x11_b34;
            let __v64: f64 = -__v63;
            __x10_b33 = __x10_b33 + __v64;
            let __v65: f64 = __x10_b33;
            __x8_b31 = __x8_b31 + __v65;
            __x9_b32 = __x9_b32 + __v65;
            let __v66: f64 = __x9_b32;
            let __v67: f64 = __v9 * __v66;
            __x5_b28 = __x5_b28 + __v67;
            let __v68: f64 = __x8_b31;
            let __v69: f64 = __v9 * __v68;
            __x5_b28 = __x5_b28 + __v69;
            let __v70: f64 = __x7_b30;
            let __v71: f64 = __x6_b29;
            let __v72: f64 = -__v71;
            __x5_b28 = __x5_b28 + __v72;
            let __v73: f64 = __x5_b28;
            let __v80: f64 = __v79 + __v73;
            let __v74: f64 = __x4_b26;
            __x3_bc26 = __v74;
            let __v75: f64 = <f64 as ::leibniz::__private::Zero>::zero();
            __x4_b26 = __v75;
            (*__b0)[unsafe { ::leibniz::__private::Unchecked::new(__v7) }] = (*__b0)[unsafe {
                ::leibniz::__private::Unchecked::new(__v7)
            }] + __v80;
            __c6 = __v23;
            __c79 = __v70;
        }
        let __v24: f64 = __c6;
        let __v81: f64 = __c79;
        let __v82: bool = ::leibniz::__private::pending(__v81);
        if __v82 {
            let __v83: usize = 0usize;
            let __v84: usize = __v4 + __v83;
            __b0[__v84] = __b0[__v84] + __v81;
        } else {}
        let __v1: usize = 0;
        let __v2: usize = (*x).len();
        let __v3: usize = 1;
        let __v4: usize = __v2 - __v3;
        let mut __x2_b27: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        __x2_b27 = __x2_b27 + __v45;
        let __v46: f64 = __x2_b27;
        let __v76: f64 = __x3_bc26;
        __v24
    };
    __lz_r
}
#[doc(hidden)]
#[inline]
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
fn rosenbrock__lz_jvpb(
    x: &[f64],
    __d0_0: impl ::leibniz::__private::TanRef<[f64]>,
    __d0_1: impl ::leibniz::__private::TanRef<[f64]>,
    __d0_2: impl ::leibniz::__private::TanRef<[f64]>,
    __d0_3: impl ::leibniz::__private::TanRef<[f64]>,
) -> (f64, [f64; 4usize]) {
    let __d0_0_g = ::leibniz::__private::TanRef::get(&__d0_0, &*x);
    let __d0_0 = &*__d0_0_g;
    let __d0_1_g = ::leibniz::__private::TanRef::get(&__d0_1, &*x);
    let __d0_1 = &*__d0_1_g;
    let __d0_2_g = ::leibniz::__private::TanRef::get(&__d0_2, &*x);
    let __d0_2 = &*__d0_2_g;
    let __d0_3_g = ::leibniz::__private::TanRef::get(&__d0_3, &*x);
    let __d0_3 = &*__d0_3_g;
    let __v0: f64 = 0f64;
    let __v1: usize = 0;
    let __v2: usize = (*x).len();
    let __v3: usize = 1;
    let __v4: usize = __v2 - __v3;
    let __v5: usize = ::leibniz::__private::trip_count(__v1, __v4);
    let __v25: f64 = <f64 as ::leibniz::__private::Zero>::zero();
    let __v45: f64 = <f64 as ::leibniz::__private::Zero>::zero();
    let __v65: f64 = <f64 as ::leibniz::__private::Zero>::zero();
    let __v85: f64 = <f64 as ::leibniz::__private::Zero>::zero();
    let mut __c6: f64 = __v0;
    let mut __c26: f64 = __v25;
    let mut __c46: f64 = __v45;
    let mut __c66: f64 = __v65;
    let mut __c86: f64 = __v85;
    for __v7 in __v1..__v4 {
        let __v7: usize = __v7;
        let __v6: f64 = __c6;
        let __v26: f64 = __c26;
        let __v46: f64 = __c46;
        let __v66: f64 = __c66;
        let __v86: f64 = __c86;
        let __v8: f64 = 1f64;
        let __v9: f64 = x[__v7];
        let __v28: f64 = __d0_0[__v7];
        let __v48: f64 = __d0_1[__v7];
        let __v68: f64 = __d0_2[__v7];
        let __v88: f64 = __d0_3[__v7];
        let __v10: f64 = __v8 - __v9;
        let __v29: f64 = -__v28;
        let __v49: f64 = -__v48;
        let __v69: f64 = -__v68;
        let __v89: f64 = -__v88;
        let __v12: usize = __v7 + __v3;
        let __v13: f64 = x[__v12];
        let __v30: f64 = __d0_0[__v12];
        let __v50: f64 = __d0_1[__v12];
        let __v70: f64 = __d0_2[__v12];
        let __v90: f64 = __d0_3[__v12];
        let __v16: f64 = __v9 * __v9;
        let __v31: f64 = __v9 * __v28;
        let __v51: f64 = __v9 * __v48;
        let __v71: f64 = __v9 * __v68;
        let __v91: f64 = __v9 * __v88;
        let __v32: f64 = __v9 * __v28;
        let __v52: f64 = __v9 * __v48;
        let __v72: f64 = __v9 * __v68;
        let __v92: f64 = __v9 * __v88;
        let __v33: f64 = __v31 + __v32;
        let __v53: f64 = __v51 + __v52;
        let __v73: f64 = __v71 + __v72;
        let __v93: f64 = __v91 + __v92;
        let __v17: f64 = __v13 - __v16;
        let __v34: f64 = -__v33;
        let __v54: f64 = -__v53;
        let __v74: f64 = -__v73;
        let __v94: f64 = -__v93;
        let __v35: f64 = __v30 + __v34;
        let __v55: f64 = __v50 + __v54;
        let __v75: f64 = __v70 + __v74;
        let __v95: f64 = __v90 + __v94;
        let __v18: f64 = __v10 * __v10;
        let __v36: f64 = __v10 * __v29;
        let __v56: f64 = __v10 * __v49;
        let __v76: f64 = __v10 * __v69;
        let __v96: f64 = __v10 * __v89;
        let __v37: f64 = __v10 * __v29;
        let __v57: f64 = __v10 * __v49;
        let __v77: f64 = __v10 * __v69;
        let __v97: f64 = __v10 * __v89;
        let __v38: f64 = __v36 + __v37;
        let __v58: f64 = __v56 + __v57;
        let __v78: f64 = __v76 + __v77;
        let __v98: f64 = __v96 + __v97;
        let __v19: f64 = 100f64;
        let __v20: f64 = __v19 * __v17;
        let __v39: f64 = __v19 * __v35;
        let __v59: f64 = __v19 * __v55;
        let __v79: f64 = __v19 * __v75;
        let __v99: f64 = __v19 * __v95;
        let __v21: f64 = __v20 * __v17;
        let __v40: f64 = __v17 * __v39;
        let __v60: f64 = __v17 * __v59;
        let __v80: f64 = __v17 * __v79;
        let __v100: f64 = __v17 * __v99;
        let __v41: f64 = __v20 * __v35;
        let __v61: f64 = __v20 * __v55;
        let __v81: f64 = __v20 * __v75;
        let __v101: f64 = __v20 * __v95;
        let __v42: f64 = __v40 + __v41;
        let __v62: f64 = __v60 + __v61;
        let __v82: f64 = __v80 + __v81;
        let __v102: f64 = __v100 + __v101;
        let __v22: f64 = __v18 + __v21;
        let __v43: f64 = __v38 + __v42;
        let __v63: f64 = __v58 + __v62;
        let __v83: f64 = __v78 + __v82;
        let __v103: f64 = __v98 + __v102;
        let __v23: f64 = __v6 + __v22;
        let __v44: f64 = __v26 + __v43;
        let __v64: f64 = __v46 + __v63;
        let __v84: f64 = __v66 + __v83;
        let __v104: f64 = __v86 + __v103;
        __c6 = __v23;
        __c26 = __v44;
        __c46 = __v64;
        __c66 = __v84;
        __c86 = __v104;
    }
    let __v24: f64 = __c6;
    let __v27: f64 = __c26;
    let __v47: f64 = __c46;
    let __v67: f64 = __c66;
    let __v87: f64 = __c86;
    (__v24, [__v27, __v47, __v67, __v87])
}
/// Forward mode (JVP): the value and its tangent of [`rosenbrock`]. Emitted by `#[differentiable]`.
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
#[inline]
fn rosenbrock_jvp(x: &[f64], __d0: &[f64]) -> (f64, f64) {
    rosenbrock__lz_jvp(&*x, __d0)
}
/// Vector-mode forward: the value and its tangent along each of `m` directions (`dxs[j]` is direction `j` of parameter `x`; every active parameter gets `m`), 4 directions per primal sweep of [`rosenbrock`]. Emitted by `#[differentiable]`.
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
#[inline]
fn rosenbrock_jvp_batch(
    x: &[f64],
    __d0: &[impl ::core::borrow::Borrow<[f64]>],
) -> (f64, ::std::vec::Vec<f64>) {
    let __lz_m = __d0.len();
    let mut __lz_out: ::std::vec::Vec<f64> = ::std::vec::Vec::with_capacity(__lz_m);
    let mut __lz_r: ::core::option::Option<f64> = ::core::option::Option::None;
    let mut __lz_c = 0usize;
    while __lz_c < __lz_m {
        let (__lz_y, __lz_ds) = rosenbrock__lz_jvpb(
            &*x,
            ::core::borrow::Borrow::<
                [f64],
            >::borrow(&__d0[(__lz_c + 0usize).min(__lz_m - 1)]),
            ::core::borrow::Borrow::<
                [f64],
            >::borrow(&__d0[(__lz_c + 1usize).min(__lz_m - 1)]),
            ::core::borrow::Borrow::<
                [f64],
            >::borrow(&__d0[(__lz_c + 2usize).min(__lz_m - 1)]),
            ::core::borrow::Borrow::<
                [f64],
            >::borrow(&__d0[(__lz_c + 3usize).min(__lz_m - 1)]),
        );
        for (__lz_l, __lz_d) in ::core::iter::IntoIterator::into_iter(__lz_ds)
            .enumerate()
        {
            if __lz_c + __lz_l < __lz_m {
                __lz_out.push(__lz_d);
            }
        }
        __lz_r = ::core::option::Option::Some(__lz_y);
        __lz_c += 4usize;
    }
    let __lz_r = match __lz_r {
        ::core::option::Option::Some(r) => r,
        ::core::option::Option::None => rosenbrock(&*x),
    };
    (__lz_r, __lz_out)
}
/// Reverse mode (VJP): the value, shadows receive `+=` the adjoints of the by-reference parameters, the adjoints of the by-value ones are returned of [`rosenbrock`]. Emitted by `#[differentiable]`.
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
#[inline]
fn rosenbrock_vjp(x: &[f64], __b0: &mut [f64], __dout: f64) -> (f64, ()) {
    let __r = rosenbrock__lz_vjpc(&*x, &mut *__b0, __dout);
    (__r, ())
}
/// The value and the gradient (reverse mode), one entry per active parameter of [`rosenbrock`]. Emitted by `#[differentiable]`.
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
#[inline]
fn rosenbrock_grad(x: &[f64]) -> (f64, ::std::vec::Vec<f64>) {
    let mut __a0 = ::leibniz::__private::zero_owned::<[f64]>(&*x);
    let __r = rosenbrock__lz_vjpc(
        &*x,
        &mut __a0,
        <f64 as ::leibniz::__private::One>::one(),
    );
    (__r, __a0)
}
/// Runs the forward sweep once and keeps the tape; pull back cotangents with `_pullback` of [`rosenbrock`]. Emitted by `#[differentiable]`.
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
#[inline]
fn rosenbrock_record<'__lz0>(
    x: &'__lz0 [f64],
) -> (f64, ::leibniz::Tape<(&'__lz0 [f64],)>) {
    let mut __tape = ::leibniz::__private::TapeBuf::new();
    let __r = rosenbrock__lz_fwd(&*x, &mut __tape);
    (__r, ::leibniz::Tape::__new(__tape, (&*x,)))
}
/// One backward sweep over a tape recorded by `_record` of [`rosenbrock`]. Emitted by `#[differentiable]`.
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
#[inline]
fn rosenbrock_pullback<'__lz0>(
    __tape_in: &::leibniz::Tape<(&'__lz0 [f64],)>,
    __b0: &mut [f64],
    __dout: f64,
) -> () {
    let (__buf, __inputs) = __tape_in.__parts();
    let (__in0,) = __inputs;
    rosenbrock__lz_bwd(*__in0, &mut *__b0, __dout, &mut __buf.reader());
    ()
}
/// The value and the dense Jacobian `J[out][in]`: outputs are the flattened result then the active `&mut` parameters, inputs the active parameters flattened in order; forward or reverse mode by shape, sweeps in parallel when large of [`rosenbrock`]. Emitted by `#[differentiable]`.
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
#[inline]
fn rosenbrock_jacobian(x: &[f64]) -> (f64, ::std::vec::Vec<::std::vec::Vec<f64>>) {
    #[allow(unused_imports)]
    use ::leibniz::__private::higher::{
        ParSweeps as _, SerSweeps as _, SnapClone as _, SnapNone as _,
    };
    let __lz_r: f64 = rosenbrock(&*x);
    let mut __lz_tmp: ::std::vec::Vec<f64> = ::std::vec::Vec::new();
    ::leibniz::__private::higher::flat_push(
        &mut __lz_tmp,
        &::leibniz::__private::zero_owned::<[f64]>(&*x),
    );
    let __lz_n_in = __lz_tmp.len();
    __lz_tmp.clear();
    ::leibniz::__private::higher::flat_push(&mut __lz_tmp, &__lz_r);
    let __lz_n_out = __lz_tmp.len();
    let __lz_vjp = |__lz_w: &[f64]| -> ::std::vec::Vec<f64> {
        let mut __lz_at = 0usize;
        let mut __lz_dout: f64 = ::leibniz::__private::zero_like(&__lz_r);
        ::leibniz::__private::higher::flat_read(&mut __lz_dout, __lz_w, &mut __lz_at);
        let mut __s0 = ::leibniz::__private::zero_owned::<[f64]>(&*x);
        let (_, __lz_a) = rosenbrock_vjp(&*x, &mut __s0, __lz_dout);
        let mut __lz_o: ::std::vec::Vec<f64> = ::std::vec::Vec::with_capacity(__lz_n_in);
        ::leibniz::__private::higher::flat_push(&mut __lz_o, &__s0);
        __lz_o
    };
    let __lz_jvpk = |
        __lz_vs: &[::std::vec::Vec<f64>],
    | -> ::std::vec::Vec<::std::vec::Vec<f64>> {
        let mut __lz_at = [0usize; 4usize];
        let mut __v0_0 = ::leibniz::__private::zero_owned::<[f64]>(&*x);
        ::leibniz::__private::higher::flat_read(
            &mut __v0_0,
            &__lz_vs[0usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[0usize],
        );
        let mut __v0_1 = ::leibniz::__private::zero_owned::<[f64]>(&*x);
        ::leibniz::__private::higher::flat_read(
            &mut __v0_1,
            &__lz_vs[1usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[1usize],
        );
        let mut __v0_2 = ::leibniz::__private::zero_owned::<[f64]>(&*x);
        ::leibniz::__private::higher::flat_read(
            &mut __v0_2,
            &__lz_vs[2usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[2usize],
        );
        let mut __v0_3 = ::leibniz::__private::zero_owned::<[f64]>(&*x);
        ::leibniz::__private::higher::flat_read(
            &mut __v0_3,
            &__lz_vs[3usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[3usize],
        );
        let (_, __lz_ds) = rosenbrock__lz_jvpb(&*x, &__v0_0, &__v0_1, &__v0_2, &__v0_3);
        let mut __lz_cols = ::std::vec::Vec::with_capacity(__lz_vs.len());
        for __lz_d in ::core::iter::IntoIterator::into_iter(__lz_ds).take(__lz_vs.len())
        {
            let mut __lz_o: ::std::vec::Vec<f64> = ::std::vec::Vec::with_capacity(
                __lz_n_out,
            );
            ::leibniz::__private::higher::flat_push(&mut __lz_o, &__lz_d);
            __lz_cols.push(__lz_o);
        }
        __lz_cols
    };
    let __lz_j = (&::leibniz::__private::higher::SyncProbe::<(&[f64],)>::new())
        .jacobian_k(__lz_n_in, __lz_n_out, 4usize, __lz_jvpk, __lz_vjp);
    (__lz_r, ::leibniz::__private::higher::mat_to::<f64>(__lz_j))
}
/// The value, the gradient and the Hessian-vector product `H v` (forward over reverse), directions placed like `_jvp` tangents of [`rosenbrock`]. Emitted by `#[differentiable]`.
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
#[inline]
fn rosenbrock_hvp(
    x: &[f64],
    __d0: &[f64],
) -> (f64, ::std::vec::Vec<f64>, ::std::vec::Vec<f64>) {
    let mut __tape = ::leibniz::__private::TapeBuf::new();
    let mut __a0 = ::leibniz::__private::zero_owned::<[f64]>(&*x);
    let mut __h0 = ::leibniz::__private::zero_owned::<[f64]>(&*x);
    let (__r, _) = rosenbrock__lz_fwd_jvp(&*x, &*__d0, &mut __tape);
    let _ = rosenbrock__lz_bwd_jvp(
        &*x,
        &*__d0,
        &mut __a0,
        &mut __h0,
        <f64 as ::leibniz::__private::One>::one(),
        ::leibniz::__private::ZeroTan,
        &mut __tape.reader(),
    );
    (__r, __a0, __h0)
}
/// The value, the gradient and the dense Hessian over the active inputs flattened in parameter order (one HVP per input, in parallel when large) of [`rosenbrock`]. Emitted by `#[differentiable]`.
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
#[inline]
fn rosenbrock_hessian(
    x: &[f64],
) -> (f64, ::std::vec::Vec<f64>, ::std::vec::Vec<::std::vec::Vec<f64>>) {
    #[allow(unused_imports)]
    use ::leibniz::__private::higher::{ParSweeps as _, SerSweeps as _};
    let (__lz_r, __lz_g) = rosenbrock_grad(&*x);
    let mut __lz_gf: ::std::vec::Vec<f64> = ::std::vec::Vec::new();
    ::leibniz::__private::higher::flat_push(&mut __lz_gf, &__lz_g);
    let __lz_n = __lz_gf.len();
    let __lz_hvp = |__lz_v: &[f64]| -> ::std::vec::Vec<f64> {
        let (_, _, __lz_hv) = rosenbrock_hvp(
            &*x,
            &*::leibniz::__private::higher::dir_as::<f64>(__lz_v),
        );
        ::leibniz::__private::higher::into_f64::<f64>(__lz_hv)
    };
    let __lz_h = (&::leibniz::__private::higher::SyncProbe::<(&[f64],)>::new())
        .hessian(__lz_n, __lz_hvp);
    (
        __lz_r,
        ::leibniz::__private::higher::vec_to::<f64>(__lz_gf),
        ::leibniz::__private::higher::mat_to::<f64>(__lz_h),
    )
}
#[doc(hidden)]
#[allow(non_upper_case_globals, dead_code)]
const rosenbrock__lz_cuda: ::leibniz::gpu::DeviceFn = ::leibniz::gpu::DeviceFn::unsupported(
    "rosenbrock",
    "`rosenbrock` has no CUDA device version: its parameter `x: & [f64]` is not a float, integer or boolean passed by value (device functions take scalars)",
);
#[doc(hidden)]
#[allow(non_camel_case_types)]
struct rosenbrock__lz_marker;
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
#[allow(non_local_definitions)]
#[doc(hidden)]
#[diagnostic::do_not_recommend]
impl<
    __LzS0: ::core::convert::AsRef<[f64]>,
    __LzS1: ::leibniz::__private::TanRef<[f64]>,
    __LzN,
> ::leibniz::__private::registry::RuleJvp<rosenbrock__lz_marker, (__LzS0, __LzS1), __LzN>
for ::leibniz::__private::registry::Key<15778684479567225751u64> {
    type Out = (f64, f64);
    #[inline(always)]
    fn call((x, __d0): (__LzS0, __LzS1)) -> (f64, f64) {
        rosenbrock__lz_jvp(::core::convert::AsRef::<[f64]>::as_ref(&x), __d0)
    }
}
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
#[allow(non_local_definitions)]
#[doc(hidden)]
#[diagnostic::do_not_recommend]
impl<
    '__lzl0,
    __LzS0: ::core::convert::AsRef<[f64]>,
    __LzN,
> ::leibniz::__private::registry::RuleFwd<
    rosenbrock__lz_marker,
    (__LzS0, &'__lzl0 mut ::leibniz::__private::TapeBuf),
    __LzN,
> for ::leibniz::__private::registry::Key<15778684479567225751u64> {
    type Out = f64;
    #[inline(always)]
    fn call((x, __tape): (__LzS0, &'__lzl0 mut ::leibniz::__private::TapeBuf)) -> f64 {
        rosenbrock__lz_fwd(::core::convert::AsRef::<[f64]>::as_ref(&x), __tape)
    }
}
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
#[allow(non_local_definitions)]
#[doc(hidden)]
#[diagnostic::do_not_recommend]
impl<
    '__lzl0,
    '__lzl1,
    __LzS0: ::core::convert::AsRef<[f64]>,
    __LzS1: ::leibniz::__private::ShadowOf<[f64]>,
    __LzN,
> ::leibniz::__private::registry::RuleBwd<
    rosenbrock__lz_marker,
    (__LzS0, __LzS1, f64, &'__lzl0 mut ::leibniz::__private::TapeRead<'__lzl1>),
    __LzN,
> for ::leibniz::__private::registry::Key<15778684479567225751u64> {
    type Out = ();
    #[inline(always)]
    fn call(
        (
            x,
            __b0,
            __dout,
            __tape,
        ): (__LzS0, __LzS1, f64, &'__lzl0 mut ::leibniz::__private::TapeRead<'__lzl1>),
    ) -> () {
        rosenbrock__lz_bwd(
            ::core::convert::AsRef::<[f64]>::as_ref(&x),
            __b0,
            __dout,
            __tape,
        )
    }
}
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
#[allow(non_local_definitions)]
#[doc(hidden)]
#[diagnostic::do_not_recommend]
impl<
    '__lzl0,
    __LzS0: ::core::convert::AsRef<[f64]>,
    __LzS1: ::leibniz::__private::TanRef<[f64]>,
    __LzN,
> ::leibniz::__private::registry::RuleFwdJvp<
    rosenbrock__lz_marker,
    (__LzS0, __LzS1, &'__lzl0 mut ::leibniz::__private::TapeBuf),
    __LzN,
> for ::leibniz::__private::registry::Key<15778684479567225751u64> {
    type Out = (f64, f64);
    #[inline(always)]
    fn call(
        (x, __d0, __tape): (__LzS0, __LzS1, &'__lzl0 mut ::leibniz::__private::TapeBuf),
    ) -> (f64, f64) {
        rosenbrock__lz_fwd_jvp(::core::convert::AsRef::<[f64]>::as_ref(&x), __d0, __tape)
    }
}
#[allow(
    unused_variables,
    unused_mut,
    unused_assignments,
    unused_parens,
    unused_braces,
    unused_imports,
    unused_unsafe,
    unreachable_code,
    non_snake_case,
    non_camel_case_types,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::nursery
)]
#[allow(non_local_definitions)]
#[doc(hidden)]
#[diagnostic::do_not_recommend]
impl<
    '__lzl0,
    '__lzl1,
    __LzS0: ::core::convert::AsRef<[f64]>,
    __LzS1: ::leibniz::__private::TanRef<[f64]>,
    __LzS2: ::leibniz::__private::ShadowOf<[f64]>,
    __LzS3: ::leibniz::__private::ShadowOf<[f64]>,
    __LzS5: ::leibniz::__private::TanVal<f64>,
    __LzN,
> ::leibniz::__private::registry::RuleBwdJvp<
    rosenbrock__lz_marker,
    (
        __LzS0,
        __LzS1,
        __LzS2,
        __LzS3,
        f64,
        __LzS5,
        &'__lzl0 mut ::leibniz::__private::TapeRead<'__lzl1>,
    ),
    __LzN,
> for ::leibniz::__private::registry::Key<15778684479567225751u64> {
    type Out = ((), ());
    #[inline(always)]
    fn call(
        (
            x,
            __e0,
            __b0,
            __f0,
            __dout,
            __ddout,
            __tape,
        ): (
            __LzS0,
            __LzS1,
            __LzS2,
            __LzS3,
            f64,
            __LzS5,
            &'__lzl0 mut ::leibniz::__private::TapeRead<'__lzl1>,
        ),
    ) -> ((), ()) {
        rosenbrock__lz_bwd_jvp(
            ::core::convert::AsRef::<[f64]>::as_ref(&x),
            __e0,
            __b0,
            __f0,
            __dout,
            __ddout,
            __tape,
        )
    }
}
