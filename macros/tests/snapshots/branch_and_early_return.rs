fn clip(x: f64, lo: f64) -> f64 {
    if x < lo {
        return lo * 0.5;
    }
    let y = if x > 1.0 { x.ln() } else { x - 1.0 };
    y * y
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
fn clip__lz_jvp(
    x: f64,
    __d0: impl ::leibniz::__private::TanVal<f64>,
    lo: f64,
    __d1: impl ::leibniz::__private::TanVal<f64>,
) -> (f64, f64) {
    let __d0 = ::leibniz::__private::TanVal::get(__d0, &x);
    let __d1 = ::leibniz::__private::TanVal::get(__d1, &lo);
    let __v21: f64 = __d0;
    let __v22: f64 = __d1;
    let __v0: f64 = x;
    let __v1: f64 = lo;
    let __v2: bool = false;
    let __v3: f64 = <f64 as ::leibniz::__private::Zero>::zero();
    let __v4: bool = __v0 < __v1;
    let (__v8, __v9, __v25) = if __v4 {
        let __v5: f64 = 0.5f64;
        let __v6: f64 = __v1 * __v5;
        let __v23: f64 = __v5 * __v22;
        let __v7: bool = true;
        (__v6, __v7, __v23)
    } else {
        let __v24: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        (__v3, __v2, __v24)
    };
    let __v10: bool = !__v9;
    let (__v19, __v32) = if __v10 {
        let __v11: f64 = 1f64;
        let __v12: bool = __v0 > __v11;
        let (__v16, __v27) = if __v12 {
            let __v13: f64 = ::leibniz::__private::Float::ln(__v0);
            let __v26: f64 = ::leibniz::__private::ldiv0(__v21, __v0);
            (__v13, __v26)
        } else {
            let __v15: f64 = __v0 - __v11;
            (__v15, __v21)
        };
        let __v17: f64 = __v16 * __v16;
        let __v28: f64 = __v16 * __v27;
        let __v29: f64 = __v16 * __v27;
        let __v30: f64 = __v28 + __v29;
        (__v17, __v30)
    } else {
        let __v31: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        (__v3, __v31)
    };
    let (__v20, __v33) = if __v9 { (__v8, __v25) } else { (__v19, __v32) };
    (__v20, __v33)
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
fn clip__lz_fwd(x: f64, lo: f64, __tape: &mut ::leibniz::__private::TapeBuf) -> f64 {
    let __v0: f64 = x;
    let __v1: f64 = lo;
    let __v2: bool = false;
    let __v3: f64 = <f64 as ::leibniz::__private::Zero>::zero();
    let __v4: bool = __v0 < __v1;
    let (__v8, __v9) = if __v4 {
        let __v5: f64 = 0.5f64;
        let __v6: f64 = __v1 * __v5;
        let __v7: bool = true;
        (__v6, __v7)
    } else {
        (__v3, __v2)
    };
    let __v10: bool = !__v9;
    let __v19: f64 = if __v10 {
        let __v11: f64 = 1f64;
        let __v12: bool = __v0 > __v11;
        let __v16: f64 = if __v12 {
            let __v13: f64 = ::leibniz::__private::Float::ln(__v0);
            __v13
        } else {
            let __v15: f64 = __v0 - __v11;
            __v15
        };
        let __v17: f64 = __v16 * __v16;
        ::leibniz::__private::TapeBuf::push(__tape, __v16);
        __v17
    } else {
        __v3
    };
    let __v20: f64 = if __v9 { __v8 } else { __v19 };
    ::leibniz::__private::TapeBuf::push(__tape, __v9);
    __v20
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
fn clip__lz_bwd(
    x: f64,
    __b0: impl ::leibniz::__private::ShadowOf<f64>,
    lo: f64,
    __b1: impl ::leibniz::__private::ShadowOf<f64>,
    __dout: f64,
    __tape: &mut ::leibniz::__private::TapeRead<'_>,
) -> () {
    let mut __b0_g = ::leibniz::__private::ShadowOf::get(
        __b0,
        ::core::option::Option::Some(&x),
    );
    let __b0 = &mut *__b0_g;
    let mut __b1_g = ::leibniz::__private::ShadowOf::get(
        __b1,
        ::core::option::Option::Some(&lo),
    );
    let __b1 = &mut *__b1_g;
    let __v34: f64 = __dout;
    let __v9: bool = ::leibniz::__private::TapePop::pop(__tape);
    let __v0: f64 = x;
    let __v1: f64 = lo;
    let __v4: bool = __v0 < __v1;
    let __v10: bool = !__v9;
    let mut __x2_b25: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x3_b32: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x4_b33: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    __x4_b33 = __x4_b33 + __v34;
    let __v35: f64 = __x4_b33;
    if __v9 {
        __x2_b25 = __x2_b25 + __v35;
    } else {
        __x3_b32 = __x3_b32 + __v35;
    }
    let __v36: f64 = __x3_b32;
    if __v10 {
        let __v16: f64 = ::leibniz::__private::TapePop::pop(__tape);
        let __v11: f64 = 1f64;
        let __v12: bool = __v0 > __v11;
        let mut __x5_b27: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x6_b28: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x7_b29: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x8_b30: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        __x8_b30 = __x8_b30 + __v36;
        let __v37: f64 = __x8_b30;
        __x6_b28 = __x6_b28 + __v37;
        __x7_b29 = __x7_b29 + __v37;
        let __v38: f64 = __x7_b29;
        let __v39: f64 = __v16 * __v38;
        __x5_b27 = __x5_b27 + __v39;
        let __v40: f64 = __x6_b28;
        let __v41: f64 = __v16 * __v40;
        __x5_b27 = __x5_b27 + __v41;
        let __v42: f64 = __x5_b27;
        if __v12 {
            let mut __x9_b26: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            __x9_b26 = __x9_b26 + __v42;
            let __v43: f64 = __x9_b26;
            let __v44: f64 = ::leibniz::__private::ldiv0(__v43, __v0);
            (*__b0) = (*__b0) + __v44;
        } else {
            (*__b0) = (*__b0) + __v42;
        }
    } else {}
    let __v45: f64 = __x2_b25;
    if __v4 {
        let __v5: f64 = 0.5f64;
        let mut __x10_b23: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        __x10_b23 = __x10_b23 + __v45;
        let __v46: f64 = __x10_b23;
        let __v47: f64 = __v5 * __v46;
        (*__b1) = (*__b1) + __v47;
    } else {}
    let __v48: f64 = (*__b1);
    let __v49: f64 = (*__b0);
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
fn clip__lz_fwd_jvp(
    x: f64,
    __d0: impl ::leibniz::__private::TanVal<f64>,
    lo: f64,
    __d1: impl ::leibniz::__private::TanVal<f64>,
    __tape: &mut ::leibniz::__private::TapeBuf,
) -> (f64, f64) {
    let __d0 = ::leibniz::__private::TanVal::get(__d0, &x);
    let __d1 = ::leibniz::__private::TanVal::get(__d1, &lo);
    let __v34: f64 = __d0;
    let __v35: f64 = __d1;
    let __v0: f64 = x;
    let __v1: f64 = lo;
    let __v2: bool = false;
    let __v3: f64 = <f64 as ::leibniz::__private::Zero>::zero();
    let __v4: bool = __v0 < __v1;
    let (__v8, __v9, __v38) = if __v4 {
        let __v5: f64 = 0.5f64;
        let __v6: f64 = __v1 * __v5;
        let __v36: f64 = __v5 * __v35;
        let __v7: bool = true;
        (__v6, __v7, __v36)
    } else {
        let __v37: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        (__v3, __v2, __v37)
    };
    let __v10: bool = !__v9;
    let (__v19, __v45) = if __v10 {
        let __v11: f64 = 1f64;
        let __v12: bool = __v0 > __v11;
        let (__v16, __v40) = if __v12 {
            let __v13: f64 = ::leibniz::__private::Float::ln(__v0);
            let __v39: f64 = ::leibniz::__private::ldiv0(__v34, __v0);
            (__v13, __v39)
        } else {
            let __v15: f64 = __v0 - __v11;
            (__v15, __v34)
        };
        let __v17: f64 = __v16 * __v16;
        let __v41: f64 = __v16 * __v40;
        let __v42: f64 = __v16 * __v40;
        let __v43: f64 = __v41 + __v42;
        ::leibniz::__private::TapeBuf::push(__tape, __v40);
        ::leibniz::__private::TapeBuf::push(__tape, __v16);
        (__v17, __v43)
    } else {
        let __v44: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        (__v3, __v44)
    };
    let (__v20, __v46) = if __v9 { (__v8, __v38) } else { (__v19, __v45) };
    ::leibniz::__private::TapeBuf::push(__tape, __v9);
    (__v20, __v46)
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
fn clip__lz_bwd_jvp(
    x: f64,
    __e0: impl ::leibniz::__private::TanVal<f64>,
    __b0: impl ::leibniz::__private::ShadowOf<f64>,
    __f0: impl ::leibniz::__private::ShadowOf<f64>,
    lo: f64,
    __e1: impl ::leibniz::__private::TanVal<f64>,
    __b1: impl ::leibniz::__private::ShadowOf<f64>,
    __f1: impl ::leibniz::__private::ShadowOf<f64>,
    __dout: f64,
    __ddout: impl ::leibniz::__private::TanVal<f64>,
    __tape: &mut ::leibniz::__private::TapeRead<'_>,
) -> ((), ()) {
    let __e0 = ::leibniz::__private::TanVal::get(__e0, &x);
    let mut __b0_g = ::leibniz::__private::ShadowOf::get(
        __b0,
        ::core::option::Option::Some(&x),
    );
    let __b0 = &mut *__b0_g;
    let mut __f0_g = ::leibniz::__private::ShadowOf::get(
        __f0,
        ::core::option::Option::Some(&*__b0),
    );
    let __f0 = &mut *__f0_g;
    let __e1 = ::leibniz::__private::TanVal::get(__e1, &lo);
    let mut __b1_g = ::leibniz::__private::ShadowOf::get(
        __b1,
        ::core::option::Option::Some(&lo),
    );
    let __b1 = &mut *__b1_g;
    let mut __f1_g = ::leibniz::__private::ShadowOf::get(
        __f1,
        ::core::option::Option::Some(&*__b1),
    );
    let __f1 = &mut *__f1_g;
    let __ddout = ::leibniz::__private::TanVal::get(__ddout, &__dout);
    let __v50: f64 = __e0;
    let __v51: f64 = __e1;
    let __v52: f64 = __ddout;
    let __v34: f64 = __dout;
    let __v9: bool = ::leibniz::__private::TapePop::pop(__tape);
    let __v0: f64 = x;
    let __v1: f64 = lo;
    let __v4: bool = __v0 < __v1;
    let __v10: bool = !__v9;
    let mut __x2_b25: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x13_db25: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x3_b32: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x14_db32: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x4_b33: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x15_db33: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    __x4_b33 = __x4_b33 + __v34;
    __x15_db33 = __x15_db33 + __v52;
    let __v35: f64 = __x4_b33;
    let __v53: f64 = __x15_db33;
    if __v9 {
        __x2_b25 = __x2_b25 + __v35;
        __x13_db25 = __x13_db25 + __v53;
    } else {
        __x3_b32 = __x3_b32 + __v35;
        __x14_db32 = __x14_db32 + __v53;
    }
    let __v36: f64 = __x3_b32;
    let __v54: f64 = __x14_db32;
    if __v10 {
        let __v16: f64 = ::leibniz::__private::TapePop::pop(__tape);
        let __v55: f64 = ::leibniz::__private::TapePop::pop(__tape);
        let __v11: f64 = 1f64;
        let __v12: bool = __v0 > __v11;
        let mut __x5_b27: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x16_db27: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x6_b28: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x17_db28: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x7_b29: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x18_db29: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x8_b30: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x19_db30: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        __x8_b30 = __x8_b30 + __v36;
        __x19_db30 = __x19_db30 + __v54;
        let __v37: f64 = __x8_b30;
        let __v56: f64 = __x19_db30;
        __x6_b28 = __x6_b28 + __v37;
        __x17_db28 = __x17_db28 + __v56;
        __x7_b29 = __x7_b29 + __v37;
        __x18_db29 = __x18_db29 + __v56;
        let __v38: f64 = __x7_b29;
        let __v57: f64 = __x18_db29;
        let __v39: f64 = __v16 * __v38;
        let __v58: f64 = __v38 * __v55;
        let __v59: f64 = __v16 * __v57;
        let __v60: f64 = __v58 + __v59;
        __x5_b27 = __x5_b27 + __v39;
        __x16_db27 = __x16_db27 + __v60;
        let __v40: f64 = __x6_b28;
        let __v61: f64 = __x17_db28;
        let __v41: f64 = __v16 * __v40;
        let __v62: f64 = __v40 * __v55;
        let __v63: f64 = __v16 * __v61;
        let __v64: f64 = __v62 + __v63;
        __x5_b27 = __x5_b27 + __v41;
        __x16_db27 = __x16_db27 + __v64;
        let __v42: f64 = __x5_b27;
        let __v65: f64 = __x16_db27;
        if __v12 {
            let mut __x9_b26: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x20_db26: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            __x9_b26 = __x9_b26 + __v42;
            __x20_db26 = __x20_db26 + __v65;
            let __v43: f64 = __x9_b26;
            let __v66: f64 = __x20_db26;
            let __v44: f64 = ::leibniz::__private::ldiv0(__v43, __v0);
            let __v67: f64 = ::leibniz::__private::ldiv0(__v66, __v0);
            let __v68: f64 = ::leibniz::__private::ldiv0(__v43, __v0);
            let __v69: f64 = ::leibniz::__private::ldiv0(__v68, __v0);
            let __v70: f64 = -__v69;
            let __v71: f64 = ::leibniz::__private::lmul0(__v50, __v70);
            let __v72: f64 = __v67 + __v71;
            (*__b0) = (*__b0) + __v44;
            (*__f0) = (*__f0) + __v72;
        } else {
            (*__b0) = (*__b0) + __v42;
            (*__f0) = (*__f0) + __v65;
        }
    } else {}
    let __v45: f64 = __x2_b25;
    let __v73: f64 = __x13_db25;
    if __v4 {
        let __v5: f64 = 0.5f64;
        let mut __x10_b23: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x21_db23: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        __x10_b23 = __x10_b23 + __v45;
        __x21_db23 = __x21_db23 + __v73;
        let __v46: f64 = __x10_b23;
        let __v74: f64 = __x21_db23;
        let __v47: f64 = __v5 * __v46;
        let __v75: f64 = __v5 * __v74;
        (*__b1) = (*__b1) + __v47;
        (*__f1) = (*__f1) + __v75;
    } else {}
    let __v48: f64 = (*__b1);
    let __v49: f64 = (*__b0);
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
fn clip__lz_vjpc(
    x: f64,
    __b0: impl ::leibniz::__private::ShadowOf<f64>,
    lo: f64,
    __b1: impl ::leibniz::__private::ShadowOf<f64>,
    __dout: f64,
) -> f64 {
    let mut __b0_g = ::leibniz::__private::ShadowOf::get(
        __b0,
        ::core::option::Option::Some(&x),
    );
    let __b0 = &mut *__b0_g;
    let mut __b1_g = ::leibniz::__private::ShadowOf::get(
        __b1,
        ::core::option::Option::Some(&lo),
    );
    let __b1 = &mut *__b1_g;
    let mut __tape_buf = ::leibniz::__private::TapeBuf::new();
    let __tape = &mut __tape_buf;
    let __v34: f64 = __dout;
    let __v0: f64 = x;
    let __v1: f64 = lo;
    let __v2: bool = false;
    let __v3: f64 = <f64 as ::leibniz::__private::Zero>::zero();
    let __v4: bool = __v0 < __v1;
    let (__v8, __v9) = if __v4 {
        let __v5: f64 = 0.5f64;
        let __v6: f64 = __v1 * __v5;
        let __v7: bool = true;
        (__v6, __v7)
    } else {
        (__v3, __v2)
    };
    let __v10: bool = !__v9;
    let __v19: f64 = if __v10 {
        let __v11: f64 = 1f64;
        let __v12: bool = __v0 > __v11;
        let __v16: f64 = if __v12 {
            let __v13: f64 = ::leibniz::__private::Float::ln(__v0);
            __v13
        } else {
            let __v15: f64 = __v0 - __v11;
            __v15
        };
        let __v17: f64 = __v16 * __v16;
        ::leibniz::__private::TapeBuf::push(__tape, __v16);
        __v17
    } else {
        __v3
    };
    let __v20: f64 = if __v9 { __v8 } else { __v19 };
    let __v0: f64 = x;
    let __v1: f64 = lo;
    let __v4: bool = __v0 < __v1;
    let __v10: bool = !__v9;
    let mut __x2_b25: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x3_b32: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x4_b33: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    __x4_b33 = __x4_b33 + __v34;
    let __v35: f64 = __x4_b33;
    if __v9 {
        __x2_b25 = __x2_b25 + __v35;
    } else {
        __x3_b32 = __x3_b32 + __v35;
    }
    let __v36: f64 = __x3_b32;
    if __v10 {
        let __v16: f64 = ::leibniz::__private::TapePop::pop(__tape);
        let __v11: f64 = 1f64;
        let __v12: bool = __v0 > __v11;
        let mut __x5_b27: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x6_b28: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x7_b29: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x8_b30: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        __x8_b30 = __x8_b30 + __v36;
        let __v37: f64 = __x8_b30;
        __x6_b28 = __x6_b28 + __v37;
        __x7_b29 = __x7_b29 + __v37;
        let __v38: f64 = __x7_b29;
        let __v39: f64 = __v16 * __v38;
        __x5_b27 = __x5_b27 + __v39;
        let __v40: f64 = __x6_b28;
        let __v41: f64 = __v16 * __v40;
        __x5_b27 = __x5_b27 + __v41;
        let __v42: f64 = __x5_b27;
        if __v12 {
            let mut __x9_b26: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            __x9_b26 = __x9_b26 + __v42;
            let __v43: f64 = __x9_b26;
            let __v44: f64 = ::leibniz::__private::ldiv0(__v43, __v0);
            (*__b0) = (*__b0) + __v44;
        } else {
            (*__b0) = (*__b0) + __v42;
        }
    } else {}
    let __v45: f64 = __x2_b25;
    if __v4 {
        let __v5: f64 = 0.5f64;
        let mut __x10_b23: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        __x10_b23 = __x10_b23 + __v45;
        let __v46: f64 = __x10_b23;
        let __v47: f64 = __v5 * __v46;
        (*__b1) = (*__b1) + __v47;
    } else {}
    let __v48: f64 = (*__b1);
    let __v49: f64 = (*__b0);
    __v20
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
fn clip__lz_jvpb(
    x: f64,
    __d0_0: impl ::leibniz::__private::TanVal<f64>,
    __d0_1: impl ::leibniz::__private::TanVal<f64>,
    __d0_2: impl ::leibniz::__private::TanVal<f64>,
    __d0_3: impl ::leibniz::__private::TanVal<f64>,
    lo: f64,
    __d1_0: impl ::leibniz::__private::TanVal<f64>,
    __d1_1: impl ::leibniz::__private::TanVal<f64>,
    __d1_2: impl ::leibniz::__private::TanVal<f64>,
    __d1_3: impl ::leibniz::__private::TanVal<f64>,
) -> (f64, [f64; 4usize]) {
    let __d0_0 = ::leibniz::__private::TanVal::get(__d0_0, &x);
    let __d0_1 = ::leibniz::__private::TanVal::get(__d0_1, &x);
    let __d0_2 = ::leibniz::__private::TanVal::get(__d0_2, &x);
    let __d0_3 = ::leibniz::__private::TanVal::get(__d0_3, &x);
    let __d1_0 = ::leibniz::__private::TanVal::get(__d1_0, &lo);
    let __d1_1 = ::leibniz::__private::TanVal::get(__d1_1, &lo);
    let __d1_2 = ::leibniz::__private::TanVal::get(__d1_2, &lo);
    let __d1_3 = ::leibniz::__private::TanVal::get(__d1_3, &lo);
    let __v21: f64 = __d0_0;
    let __v34: f64 = __d0_1;
    let __v47: f64 = __d0_2;
    let __v60: f64 = __d0_3;
    let __v22: f64 = __d1_0;
    let __v35: f64 = __d1_1;
    let __v48: f64 = __d1_2;
    let __v61: f64 = __d1_3;
    let __v0: f64 = x;
    let __v1: f64 = lo;
    let __v2: bool = false;
    let __v3: f64 = <f64 as ::leibniz::__private::Zero>::zero();
    let __v4: bool = __v0 < __v1;
    let (__v8, __v9, __v25, __v38, __v51, __v64) = if __v4 {
        let __v5: f64 = 0.5f64;
        let __v6: f64 = __v1 * __v5;
        let __v23: f64 = __v5 * __v22;
        let __v36: f64 = __v5 * __v35;
        let __v49: f64 = __v5 * __v48;
        let __v62: f64 = __v5 * __v61;
        let __v7: bool = true;
        (__v6, __v7, __v23, __v36, __v49, __v62)
    } else {
        let __v24: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        let __v37: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        let __v50: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        let __v63: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        (__v3, __v2, __v24, __v37, __v50, __v63)
    };
    let __v10: bool = !__v9;
    let (__v19, __v32, __v45, __v58, __v71) = if __v10 {
        let __v11: f64 = 1f64;
        let __v12: bool = __v0 > __v11;
        let (__v16, __v27, __v40, __v53, __v66) = if __v12 {
            let __v13: f64 = ::leibniz::__private::Float::ln(__v0);
            let __v26: f64 = ::leibniz::__private::ldiv0(__v21, __v0);
            let __v39: f64 = ::leibniz::__private::ldiv0(__v34, __v0);
            let __v52: f64 = ::leibniz::__private::ldiv0(__v47, __v0);
            let __v65: f64 = ::leibniz::__private::ldiv0(__v60, __v0);
            (__v13, __v26, __v39, __v52, __v65)
        } else {
            let __v15: f64 = __v0 - __v11;
            (__v15, __v21, __v34, __v47, __v60)
        };
        let __v17: f64 = __v16 * __v16;
        let __v28: f64 = __v16 * __v27;
        let __v41: f64 = __v16 * __v40;
        let __v54: f64 = __v16 * __v53;
        let __v67: f64 = __v16 * __v66;
        let __v29: f64 = __v16 * __v27;
        let __v42: f64 = __v16 * __v40;
        let __v55: f64 = __v16 * __v53;
        let __v68: f64 = __v16 * __v66;
        let __v30: f64 = __v28 + __v29;
        let __v43: f64 = __v41 + __v42;
        let __v56: f64 = __v54 + __v55;
        let __v69: f64 = __v67 + __v68;
        (__v17, __v30, __v43, __v56, __v69)
    } else {
        let __v31: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        let __v44: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        let __v57: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        let __v70: f64 = <f64 as ::leibniz::__private::Zero>::zero();
        (__v3, __v31, __v44, __v57, __v70)
    };
    let (__v20, __v33, __v46, __v59, __v72) = if __v9 {
        (__v8, __v25, __v38, __v51, __v64)
    } else {
        (__v19, __v32, __v45, __v58, __v71)
    };
    (__v20, [__v33, __v46, __v59, __v72])
}
/// Forward mode (JVP): the value and its tangent of [`clip`]. Emitted by `#[differentiable]`.
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
fn clip_jvp(x: f64, __d0: f64, lo: f64, __d1: f64) -> (f64, f64) {
    clip__lz_jvp(x, __d0, lo, __d1)
}
/// Vector-mode forward: the value and its tangent along each of `m` directions (`dxs[j]` is direction `j` of parameter `x`; every active parameter gets `m`), 4 directions per primal sweep of [`clip`]. Emitted by `#[differentiable]`.
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
fn clip_jvp_batch(
    x: f64,
    __d0: &[f64],
    lo: f64,
    __d1: &[f64],
) -> (f64, ::std::vec::Vec<f64>) {
    let __lz_m = __d0.len();
    assert!(
        __d1.len() == __lz_m, "leibniz: {}: {} directions for `{}` but {} for `{}`",
        "clip_jvp_batch", __d1.len(), "lo", __lz_m, "x"
    );
    let mut __lz_out: ::std::vec::Vec<f64> = ::std::vec::Vec::with_capacity(__lz_m);
    let mut __lz_r: ::core::option::Option<f64> = ::core::option::Option::None;
    let mut __lz_c = 0usize;
    while __lz_c < __lz_m {
        let (__lz_y, __lz_ds) = clip__lz_jvpb(
            ::core::clone::Clone::clone(&x),
            ::core::clone::Clone::clone(&__d0[(__lz_c + 0usize).min(__lz_m - 1)]),
            ::core::clone::Clone::clone(&__d0[(__lz_c + 1usize).min(__lz_m - 1)]),
            ::core::clone::Clone::clone(&__d0[(__lz_c + 2usize).min(__lz_m - 1)]),
            ::core::clone::Clone::clone(&__d0[(__lz_c + 3usize).min(__lz_m - 1)]),
            ::core::clone::Clone::clone(&lo),
            ::core::clone::Clone::clone(&__d1[(__lz_c + 0usize).min(__lz_m - 1)]),
            ::core::clone::Clone::clone(&__d1[(__lz_c + 1usize).min(__lz_m - 1)]),
            ::core::clone::Clone::clone(&__d1[(__lz_c + 2usize).min(__lz_m - 1)]),
            ::core::clone::Clone::clone(&__d1[(__lz_c + 3usize).min(__lz_m - 1)]),
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
        ::core::option::Option::None => {
            clip(::core::clone::Clone::clone(&x), ::core::clone::Clone::clone(&lo))
        }
    };
    (__lz_r, __lz_out)
}
/// Reverse mode (VJP): the value, shadows receive `+=` the adjoints of the by-reference parameters, the adjoints of the by-value ones are returned of [`clip`]. Emitted by `#[differentiable]`.
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
fn clip_vjp(x: f64, lo: f64, __dout: f64) -> (f64, (f64, f64)) {
    let mut __a0 = ::leibniz::__private::zero_like(&x);
    let mut __a1 = ::leibniz::__private::zero_like(&lo);
    let __r = clip__lz_vjpc(x, &mut __a0, lo, &mut __a1, __dout);
    (__r, (__a0, __a1))
}
/// The value and the gradient (reverse mode), one entry per active parameter of [`clip`]. Emitted by `#[differentiable]`.
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
fn clip_grad(x: f64, lo: f64) -> (f64, (f64, f64)) {
    let mut __a0 = ::leibniz::__private::zero_like(&x);
    let mut __a1 = ::leibniz::__private::zero_like(&lo);
    let __r = clip__lz_vjpc(
        x,
        &mut __a0,
        lo,
        &mut __a1,
        <f64 as ::leibniz::__private::One>::one(),
    );
    (__r, (__a0, __a1))
}
/// Runs the forward sweep once and keeps the tape; pull back cotangents with `_pullback` of [`clip`]. Emitted by `#[differentiable]`.
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
fn clip_record(x: f64, lo: f64) -> (f64, ::leibniz::Tape<(f64, f64)>) {
    let mut __tape = ::leibniz::__private::TapeBuf::new();
    let __r = clip__lz_fwd(
        ::core::clone::Clone::clone(&x),
        ::core::clone::Clone::clone(&lo),
        &mut __tape,
    );
    (__r, ::leibniz::Tape::__new(__tape, (x, lo)))
}
/// One backward sweep over a tape recorded by `_record` of [`clip`]. Emitted by `#[differentiable]`.
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
fn clip_pullback(__tape_in: &::leibniz::Tape<(f64, f64)>, __dout: f64) -> (f64, f64) {
    let (__buf, __inputs) = __tape_in.__parts();
    let (__in0, __in1) = __inputs;
    let mut __a0 = ::leibniz::__private::zero_like(__in0);
    let mut __a1 = ::leibniz::__private::zero_like(__in1);
    clip__lz_bwd(
        ::core::clone::Clone::clone(__in0),
        &mut __a0,
        ::core::clone::Clone::clone(__in1),
        &mut __a1,
        __dout,
        &mut __buf.reader(),
    );
    (__a0, __a1)
}
/// The value and the dense Jacobian `J[out][in]`: outputs are the flattened result then the active `&mut` parameters, inputs the active parameters flattened in order; forward or reverse mode by shape, sweeps in parallel when large of [`clip`]. Emitted by `#[differentiable]`.
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
fn clip_jacobian(x: f64, lo: f64) -> (f64, ::std::vec::Vec<::std::vec::Vec<f64>>) {
    #[allow(unused_imports)]
    use ::leibniz::__private::higher::{
        ParSweeps as _, SerSweeps as _, SnapClone as _, SnapNone as _,
    };
    let __lz_r: f64 = clip(
        ::core::clone::Clone::clone(&x),
        ::core::clone::Clone::clone(&lo),
    );
    let mut __lz_tmp: ::std::vec::Vec<f64> = ::std::vec::Vec::new();
    ::leibniz::__private::higher::flat_push(
        &mut __lz_tmp,
        &::leibniz::__private::zero_like(&x),
    );
    ::leibniz::__private::higher::flat_push(
        &mut __lz_tmp,
        &::leibniz::__private::zero_like(&lo),
    );
    let __lz_n_in = __lz_tmp.len();
    __lz_tmp.clear();
    ::leibniz::__private::higher::flat_push(&mut __lz_tmp, &__lz_r);
    let __lz_n_out = __lz_tmp.len();
    let __lz_vjp = |__lz_w: &[f64]| -> ::std::vec::Vec<f64> {
        let mut __lz_at = 0usize;
        let mut __lz_dout: f64 = ::leibniz::__private::zero_like(&__lz_r);
        ::leibniz::__private::higher::flat_read(&mut __lz_dout, __lz_w, &mut __lz_at);
        let (_, __lz_a) = clip_vjp(
            ::core::clone::Clone::clone(&x),
            ::core::clone::Clone::clone(&lo),
            __lz_dout,
        );
        let mut __lz_o: ::std::vec::Vec<f64> = ::std::vec::Vec::with_capacity(__lz_n_in);
        ::leibniz::__private::higher::flat_push(&mut __lz_o, &__lz_a.0);
        ::leibniz::__private::higher::flat_push(&mut __lz_o, &__lz_a.1);
        __lz_o
    };
    let __lz_jvpk = |
        __lz_vs: &[::std::vec::Vec<f64>],
    | -> ::std::vec::Vec<::std::vec::Vec<f64>> {
        let mut __lz_at = [0usize; 4usize];
        let mut __v0_0 = ::leibniz::__private::zero_like(&x);
        ::leibniz::__private::higher::flat_read(
            &mut __v0_0,
            &__lz_vs[0usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[0usize],
        );
        let mut __v0_1 = ::leibniz::__private::zero_like(&x);
        ::leibniz::__private::higher::flat_read(
            &mut __v0_1,
            &__lz_vs[1usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[1usize],
        );
        let mut __v0_2 = ::leibniz::__private::zero_like(&x);
        ::leibniz::__private::higher::flat_read(
            &mut __v0_2,
            &__lz_vs[2usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[2usize],
        );
        let mut __v0_3 = ::leibniz::__private::zero_like(&x);
        ::leibniz::__private::higher::flat_read(
            &mut __v0_3,
            &__lz_vs[3usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[3usize],
        );
        let mut __v1_0 = ::leibniz::__private::zero_like(&lo);
        ::leibniz::__private::higher::flat_read(
            &mut __v1_0,
            &__lz_vs[0usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[0usize],
        );
        let mut __v1_1 = ::leibniz::__private::zero_like(&lo);
        ::leibniz::__private::higher::flat_read(
            &mut __v1_1,
            &__lz_vs[1usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[1usize],
        );
        let mut __v1_2 = ::leibniz::__private::zero_like(&lo);
        ::leibniz::__private::higher::flat_read(
            &mut __v1_2,
            &__lz_vs[2usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[2usize],
        );
        let mut __v1_3 = ::leibniz::__private::zero_like(&lo);
        ::leibniz::__private::higher::flat_read(
            &mut __v1_3,
            &__lz_vs[3usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[3usize],
        );
        let (_, __lz_ds) = clip__lz_jvpb(
            ::core::clone::Clone::clone(&x),
            __v0_0,
            __v0_1,
            __v0_2,
            __v0_3,
            ::core::clone::Clone::clone(&lo),
            __v1_0,
            __v1_1,
            __v1_2,
            __v1_3,
        );
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
    let __lz_j = (&::leibniz::__private::higher::SyncProbe::<(f64, f64)>::new())
        .jacobian_k(__lz_n_in, __lz_n_out, 4usize, __lz_jvpk, __lz_vjp);
    (__lz_r, ::leibniz::__private::higher::mat_to::<f64>(__lz_j))
}
/// The value, the gradient and the Hessian-vector product `H v` (forward over reverse), directions placed like `_jvp` tangents of [`clip`]. Emitted by `#[differentiable]`.
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
fn clip_hvp(x: f64, __d0: f64, lo: f64, __d1: f64) -> (f64, (f64, f64), (f64, f64)) {
    let mut __tape = ::leibniz::__private::TapeBuf::new();
    let mut __a0 = ::leibniz::__private::zero_like(&x);
    let mut __h0 = ::leibniz::__private::zero_like(&x);
    let mut __a1 = ::leibniz::__private::zero_like(&lo);
    let mut __h1 = ::leibniz::__private::zero_like(&lo);
    let (__r, _) = clip__lz_fwd_jvp(
        ::core::clone::Clone::clone(&x),
        ::core::clone::Clone::clone(&__d0),
        ::core::clone::Clone::clone(&lo),
        ::core::clone::Clone::clone(&__d1),
        &mut __tape,
    );
    let _ = clip__lz_bwd_jvp(
        x,
        __d0,
        &mut __a0,
        &mut __h0,
        lo,
        __d1,
        &mut __a1,
        &mut __h1,
        <f64 as ::leibniz::__private::One>::one(),
        ::leibniz::__private::ZeroTan,
        &mut __tape.reader(),
    );
    (__r, (__a0, __a1), (__h0, __h1))
}
/// The value, the gradient and the dense Hessian over the active inputs flattened in parameter order (one HVP per input, in parallel when large) of [`clip`]. Emitted by `#[differentiable]`.
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
fn clip_hessian(
    x: f64,
    lo: f64,
) -> (f64, ::std::vec::Vec<f64>, ::std::vec::Vec<::std::vec::Vec<f64>>) {
    #[allow(unused_imports)]
    use ::leibniz::__private::higher::{ParSweeps as _, SerSweeps as _};
    let (__lz_r, __lz_g) = clip_grad(
        ::core::clone::Clone::clone(&x),
        ::core::clone::Clone::clone(&lo),
    );
    let mut __lz_gf: ::std::vec::Vec<f64> = ::std::vec::Vec::new();
    ::leibniz::__private::higher::flat_push(&mut __lz_gf, &__lz_g.0);
    ::leibniz::__private::higher::flat_push(&mut __lz_gf, &__lz_g.1);
    let __lz_n = __lz_gf.len();
    let __lz_hvp = |__lz_v: &[f64]| -> ::std::vec::Vec<f64> {
        let mut __lz_at = 0usize;
        let mut __v0 = ::leibniz::__private::zero_like(&x);
        ::leibniz::__private::higher::flat_read(&mut __v0, __lz_v, &mut __lz_at);
        let mut __v1 = ::leibniz::__private::zero_like(&lo);
        ::leibniz::__private::higher::flat_read(&mut __v1, __lz_v, &mut __lz_at);
        let (_, _, __lz_hv) = clip_hvp(
            ::core::clone::Clone::clone(&x),
            __v0,
            ::core::clone::Clone::clone(&lo),
            __v1,
        );
        let mut __lz_o: ::std::vec::Vec<f64> = ::std::vec::Vec::with_capacity(__lz_n);
        ::leibniz::__private::higher::flat_push(&mut __lz_o, &__lz_hv.0);
        ::leibniz::__private::higher::flat_push(&mut __lz_o, &__lz_hv.1);
        __lz_o
    };
    let __lz_h = (&::leibniz::__private::higher::SyncProbe::<(f64, f64)>::new())
        .hessian(__lz_n, __lz_hvp);
    (
        __lz_r,
        ::leibniz::__private::higher::vec_to::<f64>(__lz_gf),
        ::leibniz::__private::higher::mat_to::<f64>(__lz_h),
    )
}
#[doc(hidden)]
#[allow(non_upper_case_globals, dead_code)]
const clip__lz_cuda: ::leibniz::gpu::DeviceFn = ::leibniz::gpu::DeviceFn {
    name: "clip",
    module: ::core::module_path!(),
    source: "template <typename LZF> __device__ inline double @SELF@(double a_x, double a_lo) {\n  double v0 = a_x;\n  double v1 = a_lo;\n  bool v2 = false;\n  double v3 = 0.0;\n  bool v4 = v0 < v1;\n  double v8;\n  bool v9;\n  if (v4) {\n    double v5 = 0.5;\n    double v6 = v1 * v5;\n    bool v7 = true;\n    v8 = v6;\n    v9 = v7;\n  } else {\n    v8 = v3;\n    v9 = v2;\n  }\n  bool v10 = !v9;\n  double v19;\n  if (v10) {\n    double v11 = 1.0;\n    bool v12 = v0 > v11;\n    double v16;\n    if (v12) {\n      double v13 = log(v0);\n      v16 = v13;\n    } else {\n      double v15 = v0 - v11;\n      v16 = v15;\n    }\n    double v17 = v16 * v16;\n    v19 = v17;\n  } else {\n    v19 = v3;\n  }\n  double v20;\n  if (v9) {\n    v20 = v8;\n  } else {\n    v20 = v19;\n  }\n  return v20;\n}\ntemplate <typename LZF> __device__ inline lz_tup<double, double> @SELF@__lz_jvp(double a_x, double d_x, double a_lo, double d_lo) {\n  double v21 = d_x;\n  double v22 = d_lo;\n  double v0 = a_x;\n  double v1 = a_lo;\n  bool v2 = false;\n  double v3 = 0.0;\n  bool v4 = v0 < v1;\n  double v8;\n  bool v9;\n  double v25;\n  if (v4) {\n    double v5 = 0.5;\n    double v6 = v1 * v5;\n    double v23 = v5 * v22;\n    bool v7 = true;\n    v8 = v6;\n    v9 = v7;\n    v25 = v23;\n  } else {\n    double v24 = 0.0;\n    v8 = v3;\n    v9 = v2;\n    v25 = v24;\n  }\n  bool v10 = !v9;\n  double v19;\n  double v32;\n  if (v10) {\n    double v11 = 1.0;\n    bool v12 = v0 > v11;\n    double v16;\n    double v27;\n    if (v12) {\n      double v13 = log(v0);\n      double v26 = lz_ldiv0(v21, v0);\n      v16 = v13;\n      v27 = v26;\n    } else {\n      double v15 = v0 - v11;\n      v16 = v15;\n      v27 = v21;\n    }\n    double v17 = v16 * v16;\n    double v28 = v16 * v27;\n    double v29 = v16 * v27;\n    double v30 = v28 + v29;\n    v19 = v17;\n    v32 = v30;\n  } else {\n    double v31 = 0.0;\n    v19 = v3;\n    v32 = v31;\n  }\n  double v20;\n  double v33;\n  if (v9) {\n    v20 = v8;\n    v33 = v25;\n  } else {\n    v20 = v19;\n    v33 = v32;\n  }\n  return lz_mk((double)(v20), (double)(v33));\n}\ntemplate <typename LZF> __device__ inline void @SELF@__lz_bwd(double a_x, double* b_x, double a_lo, double* b_lo, double lz_dout) {\n  double lz_b_x = (double)0;\n  double lz_b_lo = (double)0;\n  double lz_tf[1]; int lz_nf = 0;\n  long long lz_ti[1]; int lz_ni = 0;\n  {\n    double v0 = a_x;\n    double v1 = a_lo;\n    bool v2 = false;\n    double v3 = 0.0;\n    bool v4 = v0 < v1;\n    double v8;\n    bool v9;\n    if (v4) {\n      double v5 = 0.5;\n      double v6 = v1 * v5;\n      bool v7 = true;\n      v8 = v6;\n      v9 = v7;\n    } else {\n      v8 = v3;\n      v9 = v2;\n    }\n    bool v10 = !v9;\n    double v19;\n    if (v10) {\n      double v11 = 1.0;\n      bool v12 = v0 > v11;\n      double v16;\n      if (v12) {\n        double v13 = log(v0);\n        v16 = v13;\n      } else {\n        double v15 = v0 - v11;\n        v16 = v15;\n      }\n      double v17 = v16 * v16;\n      lz_tf[lz_nf++] = v16;\n      v19 = v17;\n    } else {\n      v19 = v3;\n    }\n    double v20;\n    if (v9) {\n      v20 = v8;\n    } else {\n      v20 = v19;\n    }\n    lz_ti[lz_ni++] = (long long)(v9);\n  }\n  {\n    double v34 = lz_dout;\n    const bool v9 = lz_ti[--lz_ni] != 0;\n    double v0 = a_x;\n    double v1 = a_lo;\n    bool v4 = v0 < v1;\n    bool v10 = !v9;\n    double x2 = 0.0;\n    double x3 = 0.0;\n    double x4 = 0.0;\n    x4 += v34;\n    double v35 = x4;\n    if (v9) {\n      x2 += v35;\n    } else {\n      x3 += v35;\n    }\n    double v36 = x3;\n    if (v10) {\n      const double v16 = lz_tf[--lz_nf];\n      double v11 = 1.0;\n      bool v12 = v0 > v11;\n      double x5 = 0.0;\n      double x6 = 0.0;\n      double x7 = 0.0;\n      double x8 = 0.0;\n      x8 += v36;\n      double v37 = x8;\n      x6 += v37;\n      x7 += v37;\n      double v38 = x7;\n      double v39 = v16 * v38;\n      x5 += v39;\n      double v40 = x6;\n      double v41 = v16 * v40;\n      x5 += v41;\n      double v42 = x5;\n      if (v12) {\n        double x9 = 0.0;\n        x9 += v42;\n        double v43 = x9;\n        double v44 = lz_ldiv0(v43, v0);\n        lz_b_x += v44;\n      } else {\n        lz_b_x += v42;\n      }\n    }\n    double v45 = x2;\n    if (v4) {\n      double v5 = 0.5;\n      double x10 = 0.0;\n      x10 += v45;\n      double v46 = x10;\n      double v47 = v5 * v46;\n      lz_b_lo += v47;\n    }\n    double v48 = lz_b_lo;\n    double v49 = lz_b_x;\n  }\n  if (b_x) *b_x += lz_b_x;\n  if (b_lo) *b_lo += lz_b_lo;\n}\n",
    deps: &[],
    consts: ::leibniz::gpu::DeviceFn::NO_CONSTS,
    unsupported: ::core::option::Option::None,
};
#[doc(hidden)]
#[allow(non_camel_case_types)]
struct clip__lz_marker;
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
    __LzS1: ::leibniz::__private::TanVal<f64>,
    __LzS3: ::leibniz::__private::TanVal<f64>,
    __LzN,
> ::leibniz::__private::registry::RuleJvp<
    clip__lz_marker,
    (f64, __LzS1, f64, __LzS3),
    __LzN,
> for ::leibniz::__private::registry::Key<1403765810143580635u64> {
    type Out = (f64, f64);
    #[inline(always)]
    fn call((x, __d0, lo, __d1): (f64, __LzS1, f64, __LzS3)) -> (f64, f64) {
        clip__lz_jvp(x, __d0, lo, __d1)
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
    __LzN,
> ::leibniz::__private::registry::RuleFwd<
    clip__lz_marker,
    (f64, f64, &'__lzl0 mut ::leibniz::__private::TapeBuf),
    __LzN,
> for ::leibniz::__private::registry::Key<1403765810143580635u64> {
    type Out = f64;
    #[inline(always)]
    fn call(
        (x, lo, __tape): (f64, f64, &'__lzl0 mut ::leibniz::__private::TapeBuf),
    ) -> f64 {
        clip__lz_fwd(x, lo, __tape)
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
    __LzS1: ::leibniz::__private::ShadowOf<f64>,
    __LzS3: ::leibniz::__private::ShadowOf<f64>,
    __LzN,
> ::leibniz::__private::registry::RuleBwd<
    clip__lz_marker,
    (
        f64,
        __LzS1,
        f64,
        __LzS3,
        f64,
        &'__lzl0 mut ::leibniz::__private::TapeRead<'__lzl1>,
    ),
    __LzN,
> for ::leibniz::__private::registry::Key<1403765810143580635u64> {
    type Out = ();
    #[inline(always)]
    fn call(
        (
            x,
            __b0,
            lo,
            __b1,
            __dout,
            __tape,
        ): (
            f64,
            __LzS1,
            f64,
            __LzS3,
            f64,
            &'__lzl0 mut ::leibniz::__private::TapeRead<'__lzl1>,
        ),
    ) -> () {
        clip__lz_bwd(x, __b0, lo, __b1, __dout, __tape)
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
    __LzS1: ::leibniz::__private::TanVal<f64>,
    __LzS3: ::leibniz::__private::TanVal<f64>,
    __LzN,
> ::leibniz::__private::registry::RuleFwdJvp<
    clip__lz_marker,
    (f64, __LzS1, f64, __LzS3, &'__lzl0 mut ::leibniz::__private::TapeBuf),
    __LzN,
> for ::leibniz::__private::registry::Key<1403765810143580635u64> {
    type Out = (f64, f64);
    #[inline(always)]
    fn call(
        (
            x,
            __d0,
            lo,
            __d1,
            __tape,
        ): (f64, __LzS1, f64, __LzS3, &'__lzl0 mut ::leibniz::__private::TapeBuf),
    ) -> (f64, f64) {
        clip__lz_fwd_jvp(x, __d0, lo, __d1, __tape)
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
    __LzS1: ::leibniz::__private::TanVal<f64>,
    __LzS2: ::leibniz::__private::ShadowOf<f64>,
    __LzS3: ::leibniz::__private::ShadowOf<f64>,
    __LzS5: ::leibniz::__private::TanVal<f64>,
    __LzS6: ::leibniz::__private::ShadowOf<f64>,
    __LzS7: ::leibniz::__private::ShadowOf<f64>,
    __LzS9: ::leibniz::__private::TanVal<f64>,
    __LzN,
> ::leibniz::__private::registry::RuleBwdJvp<
    clip__lz_marker,
    (
        f64,
        __LzS1,
        __LzS2,
        __LzS3,
        f64,
        __LzS5,
        __LzS6,
        __LzS7,
        f64,
        __LzS9,
        &'__lzl0 mut ::leibniz::__private::TapeRead<'__lzl1>,
    ),
    __LzN,
> for ::leibniz::__private::registry::Key<1403765810143580635u64> {
    type Out = ((), ());
    #[inline(always)]
    fn call(
        (
            x,
            __e0,
            __b0,
            __f0,
            lo,
            __e1,
            __b1,
            __f1,
            __dout,
            __ddout,
            __tape,
        ): (
            f64,
            __LzS1,
            __LzS2,
            __LzS3,
            f64,
            __LzS5,
            __LzS6,
            __LzS7,
            f64,
            __LzS9,
            &'__lzl0 mut ::leibniz::__private::TapeRead<'__lzl1>,
        ),
    ) -> ((), ()) {
        clip__lz_bwd_jvp(
            x,
            __e0,
            __b0,
            __f0,
            lo,
            __e1,
            __b1,
            __f1,
            __dout,
            __ddout,
            __tape,
        )
    }
}
