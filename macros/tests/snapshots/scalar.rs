fn f(x: f64, y: f64) -> f64 {
    (x * y).sin() + x.exp() / y
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
fn f__lz_jvp(
    x: f64,
    __d0: impl ::leibniz::__private::TanVal<f64>,
    y: f64,
    __d1: impl ::leibniz::__private::TanVal<f64>,
) -> (f64, f64) {
    let __d0 = ::leibniz::__private::TanVal::get(__d0, &x);
    let __d1 = ::leibniz::__private::TanVal::get(__d1, &y);
    let __v7: f64 = __d0;
    let __v8: f64 = __d1;
    let __v0: f64 = x;
    let __v1: f64 = y;
    let __v2: f64 = __v0 * __v1;
    let __v9: f64 = __v1 * __v7;
    let __v10: f64 = __v0 * __v8;
    let __v11: f64 = __v9 + __v10;
    let __v3: f64 = ::leibniz::__private::Float::sin(__v2);
    let __v12: f64 = ::leibniz::__private::Float::cos(__v2);
    let __v13: f64 = __v12 * __v11;
    let __v4: f64 = ::leibniz::__private::Float::exp(__v0);
    let __v14: f64 = ::leibniz::__private::lmul0(__v4, __v7);
    let __v5: f64 = __v4 / __v1;
    let __v15: f64 = __v5 / __v1;
    let __v16: f64 = -__v15;
    let __v17: f64 = ::leibniz::__private::ldiv0(__v14, __v1);
    let __v18: f64 = ::leibniz::__private::lmul0(__v16, __v8);
    let __v19: f64 = __v17 + __v18;
    let __v6: f64 = __v3 + __v5;
    let __v20: f64 = __v13 + __v19;
    (__v6, __v20)
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
fn f__lz_fwd(x: f64, y: f64, __tape: &mut ::leibniz::__private::TapeBuf) -> f64 {
    let __v0: f64 = x;
    let __v1: f64 = y;
    let __v2: f64 = __v0 * __v1;
    let __v3: f64 = ::leibniz::__private::Float::sin(__v2);
    let __v12: f64 = ::leibniz::__private::Float::cos(__v2);
    let __v4: f64 = ::leibniz::__private::Float::exp(__v0);
    let __v5: f64 = __v4 / __v1;
    let __v15: f64 = __v5 / __v1;
    let __v16: f64 = -__v15;
    let __v6: f64 = __v3 + __v5;
    ::leibniz::__private::TapeBuf::push(__tape, __v4);
    ::leibniz::__private::TapeBuf::push(__tape, __v12);
    ::leibniz::__private::TapeBuf::push(__tape, __v16);
    __v6
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
fn f__lz_bwd(
    x: f64,
    __b0: impl ::leibniz::__private::ShadowOf<f64>,
    y: f64,
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
        ::core::option::Option::Some(&y),
    );
    let __b1 = &mut *__b1_g;
    let __v21: f64 = __dout;
    let __v16: f64 = ::leibniz::__private::TapePop::pop(__tape);
    let __v12: f64 = ::leibniz::__private::TapePop::pop(__tape);
    let __v4: f64 = ::leibniz::__private::TapePop::pop(__tape);
    let __v0: f64 = x;
    let __v1: f64 = y;
    let mut __x2_b9: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x3_b10: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x4_b11: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x5_b13: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x6_b14: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x7_b17: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x8_b18: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x9_b19: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x10_b20: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    __x10_b20 = __x10_b20 + __v21;
    let __v22: f64 = __x10_b20;
    __x5_b13 = __x5_b13 + __v22;
    __x9_b19 = __x9_b19 + __v22;
    let __v23: f64 = __x9_b19;
    __x7_b17 = __x7_b17 + __v23;
    __x8_b18 = __x8_b18 + __v23;
    let __v24: f64 = __x8_b18;
    let __v25: f64 = ::leibniz::__private::lmul0(__v16, __v24);
    (*__b1) = (*__b1) + __v25;
    let __v26: f64 = __x7_b17;
    let __v27: f64 = ::leibniz::__private::ldiv0(__v26, __v1);
    __x6_b14 = __x6_b14 + __v27;
    let __v28: f64 = __x6_b14;
    let __v29: f64 = ::leibniz::__private::lmul0(__v4, __v28);
    (*__b0) = (*__b0) + __v29;
    let __v30: f64 = __x5_b13;
    let __v31: f64 = __v12 * __v30;
    __x4_b11 = __x4_b11 + __v31;
    let __v32: f64 = __x4_b11;
    __x2_b9 = __x2_b9 + __v32;
    __x3_b10 = __x3_b10 + __v32;
    let __v33: f64 = __x3_b10;
    let __v34: f64 = __v0 * __v33;
    (*__b1) = (*__b1) + __v34;
    let __v35: f64 = __x2_b9;
    let __v36: f64 = __v1 * __v35;
    (*__b0) = (*__b0) + __v36;
    let __v37: f64 = (*__b1);
    let __v38: f64 = (*__b0);
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
fn f__lz_fwd_jvp(
    x: f64,
    __d0: impl ::leibniz::__private::TanVal<f64>,
    y: f64,
    __d1: impl ::leibniz::__private::TanVal<f64>,
    __tape: &mut ::leibniz::__private::TapeBuf,
) -> (f64, f64) {
    let __d0 = ::leibniz::__private::TanVal::get(__d0, &x);
    let __d1 = ::leibniz::__private::TanVal::get(__d1, &y);
    let __v21: f64 = __d0;
    let __v22: f64 = __d1;
    let __v0: f64 = x;
    let __v1: f64 = y;
    let __v2: f64 = __v0 * __v1;
    let __v23: f64 = __v1 * __v21;
    let __v24: f64 = __v0 * __v22;
    let __v25: f64 = __v23 + __v24;
    let __v3: f64 = ::leibniz::__private::Float::sin(__v2);
    let __v26: f64 = ::leibniz::__private::Float::cos(__v2);
    let __v27: f64 = __v26 * __v25;
    let __v12: f64 = ::leibniz::__private::Float::cos(__v2);
    let __v28: f64 = ::leibniz::__private::Float::sin(__v2);
    let __v29: f64 = -__v28;
    let __v30: f64 = __v29 * __v25;
    let __v4: f64 = ::leibniz::__private::Float::exp(__v0);
    let __v31: f64 = ::leibniz::__private::lmul0(__v4, __v21);
    let __v5: f64 = __v4 / __v1;
    let __v32: f64 = __v5 / __v1;
    let __v33: f64 = -__v32;
    let __v34: f64 = ::leibniz::__private::ldiv0(__v31, __v1);
    let __v35: f64 = ::leibniz::__private::lmul0(__v33, __v22);
    let __v36: f64 = __v34 + __v35;
    let __v15: f64 = __v5 / __v1;
    let __v37: f64 = __v15 / __v1;
    let __v38: f64 = -__v37;
    let __v39: f64 = ::leibniz::__private::ldiv0(__v36, __v1);
    let __v40: f64 = ::leibniz::__private::lmul0(__v38, __v22);
    let __v41: f64 = __v39 + __v40;
    let __v16: f64 = -__v15;
    let __v42: f64 = -__v41;
    let __v6: f64 = __v3 + __v5;
    let __v43: f64 = __v27 + __v36;
    ::leibniz::__private::TapeBuf::push(__tape, __v31);
    ::leibniz::__private::TapeBuf::push(__tape, __v30);
    ::leibniz::__private::TapeBuf::push(__tape, __v42);
    ::leibniz::__private::TapeBuf::push(__tape, __v4);
    ::leibniz::__private::TapeBuf::push(__tape, __v12);
    ::leibniz::__private::TapeBuf::push(__tape, __v16);
    (__v6, __v43)
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
fn f__lz_bwd_jvp(
    x: f64,
    __e0: impl ::leibniz::__private::TanVal<f64>,
    __b0: impl ::leibniz::__private::ShadowOf<f64>,
    __f0: impl ::leibniz::__private::ShadowOf<f64>,
    y: f64,
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
    let __e1 = ::leibniz::__private::TanVal::get(__e1, &y);
    let mut __b1_g = ::leibniz::__private::ShadowOf::get(
        __b1,
        ::core::option::Option::Some(&y),
    );
    let __b1 = &mut *__b1_g;
    let mut __f1_g = ::leibniz::__private::ShadowOf::get(
        __f1,
        ::core::option::Option::Some(&*__b1),
    );
    let __f1 = &mut *__f1_g;
    let __ddout = ::leibniz::__private::TanVal::get(__ddout, &__dout);
    let __v39: f64 = __e0;
    let __v40: f64 = __e1;
    let __v41: f64 = __ddout;
    let __v21: f64 = __dout;
    let __v16: f64 = ::leibniz::__private::TapePop::pop(__tape);
    let __v12: f64 = ::leibniz::__private::TapePop::pop(__tape);
    let __v4: f64 = ::leibniz::__private::TapePop::pop(__tape);
    let __v44: f64 = ::leibniz::__private::TapePop::pop(__tape);
    let __v43: f64 = ::leibniz::__private::TapePop::pop(__tape);
    let __v42: f64 = ::leibniz::__private::TapePop::pop(__tape);
    let __v0: f64 = x;
    let __v1: f64 = y;
    let mut __x2_b9: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x13_db9: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x3_b10: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x14_db10: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x4_b11: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x15_db11: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x5_b13: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x16_db13: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x6_b14: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x17_db14: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x7_b17: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x18_db17: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x8_b18: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x19_db18: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x9_b19: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x20_db19: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x10_b20: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x21_db20: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    __x10_b20 = __x10_b20 + __v21;
    __x21_db20 = __x21_db20 + __v41;
    let __v22: f64 = __x10_b20;
    let __v45: f64 = __x21_db20;
    __x5_b13 = __x5_b13 + __v22;
    __x16_db13 = __x16_db13 + __v45;
    __x9_b19 = __x9_b19 + __v22;
    __x20_db19 = __x20_db19 + __v45;
    let __v23: f64 = __x9_b19;
    let __v46: f64 = __x20_db19;
    __x7_b17 = __x7_b17 + __v23;
    __x18_db17 = __x18_db17 + __v46;
    __x8_b18 = __x8_b18 + __v23;
    __x19_db18 = __x19_db18 + __v46;
    let __v24: f64 = __x8_b18;
    let __v47: f64 = __x19_db18;
    let __v25: f64 = ::leibniz::__private::lmul0(__v16, __v24);
    let __v48: f64 = ::leibniz::__private::lmul0(__v16, __v47);
    let __v49: f64 = ::leibniz::__private::lmul0(__v24, __v44);
    let __v50: f64 = __v48 + __v49;
    (*__b1) = (*__b1) + __v25;
    (*__f1) = (*__f1) + __v50;
    let __v26: f64 = __x7_b17;
    let __v51: f64 = __x18_db17;
    let __v27: f64 = ::leibniz::__private::ldiv0(__v26, __v1);
    let __v52: f64 = ::leibniz::__private::ldiv0(__v51, __v1);
    let __v53: f64 = ::leibniz::__private::ldiv0(__v26, __v1);
    let __v54: f64 = ::leibniz::__private::ldiv0(__v53, __v1);
    let __v55: f64 = -__v54;
    let __v56: f64 = ::leibniz::__private::lmul0(__v40, __v55);
    let __v57: f64 = __v52 + __v56;
    __x6_b14 = __x6_b14 + __v27;
    __x17_db14 = __x17_db14 + __v57;
    let __v28: f64 = __x6_b14;
    let __v58: f64 = __x17_db14;
    let __v29: f64 = ::leibniz::__private::lmul0(__v4, __v28);
    let __v59: f64 = ::leibniz::__private::lmul0(__v4, __v58);
    let __v60: f64 = ::leibniz::__private::lmul0(__v28, __v42);
    let __v61: f64 = __v59 + __v60;
    (*__b0) = (*__b0) + __v29;
    (*__f0) = (*__f0) + __v61;
    let __v30: f64 = __x5_b13;
    let __v62: f64 = __x16_db13;
    let __v31: f64 = __v12 * __v30;
    let __v63: f64 = __v30 * __v43;
    let __v64: f64 = __v12 * __v62;
    let __v65: f64 = __v63 + __v64;
    __x4_b11 = __x4_b11 + __v31;
    __x15_db11 = __x15_db11 + __v65;
    let __v32: f64 = __x4_b11;
    let __v66: f64 = __x15_db11;
    __x2_b9 = __x2_b9 + __v32;
    __x13_db9 = __x13_db9 + __v66;
    __x3_b10 = __x3_b10 + __v32;
    __x14_db10 = __x14_db10 + __v66;
    let __v33: f64 = __x3_b10;
    let __v67: f64 = __x14_db10;
    let __v34: f64 = __v0 * __v33;
    let __v68: f64 = __v33 * __v39;
    let __v69: f64 = __v0 * __v67;
    let __v70: f64 = __v68 + __v69;
    (*__b1) = (*__b1) + __v34;
    (*__f1) = (*__f1) + __v70;
    let __v35: f64 = __x2_b9;
    let __v71: f64 = __x13_db9;
    let __v36: f64 = __v1 * __v35;
    let __v72: f64 = __v35 * __v40;
    let __v73: f64 = __v1 * __v71;
    let __v74: f64 = __v72 + __v73;
    (*__b0) = (*__b0) + __v36;
    (*__f0) = (*__f0) + __v74;
    let __v37: f64 = (*__b1);
    let __v38: f64 = (*__b0);
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
fn f__lz_vjpc(
    x: f64,
    __b0: impl ::leibniz::__private::ShadowOf<f64>,
    y: f64,
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
        ::core::option::Option::Some(&y),
    );
    let __b1 = &mut *__b1_g;
    let mut __tape_buf = ::leibniz::__private::TapeBuf::new();
    let __tape = &mut __tape_buf;
    let __v21: f64 = __dout;
    let __v0: f64 = x;
    let __v1: f64 = y;
    let __v2: f64 = __v0 * __v1;
    let __v3: f64 = ::leibniz::__private::Float::sin(__v2);
    let __v12: f64 = ::leibniz::__private::Float::cos(__v2);
    let __v4: f64 = ::leibniz::__private::Float::exp(__v0);
    let __v5: f64 = __v4 / __v1;
    let __v15: f64 = __v5 / __v1;
    let __v16: f64 = -__v15;
    let __v6: f64 = __v3 + __v5;
    let __v0: f64 = x;
    let __v1: f64 = y;
    let mut __x2_b9: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x3_b10: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x4_b11: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x5_b13: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x6_b14: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x7_b17: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x8_b18: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x9_b19: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    let mut __x10_b20: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
    __x10_b20 = __x10_b20 + __v21;
    let __v22: f64 = __x10_b20;
    __x5_b13 = __x5_b13 + __v22;
    __x9_b19 = __x9_b19 + __v22;
    let __v23: f64 = __x9_b19;
    __x7_b17 = __x7_b17 + __v23;
    __x8_b18 = __x8_b18 + __v23;
    let __v24: f64 = __x8_b18;
    let __v25: f64 = ::leibniz::__private::lmul0(__v16, __v24);
    (*__b1) = (*__b1) + __v25;
    let __v26: f64 = __x7_b17;
    let __v27: f64 = ::leibniz::__private::ldiv0(__v26, __v1);
    __x6_b14 = __x6_b14 + __v27;
    let __v28: f64 = __x6_b14;
    let __v29: f64 = ::leibniz::__private::lmul0(__v4, __v28);
    (*__b0) = (*__b0) + __v29;
    let __v30: f64 = __x5_b13;
    let __v31: f64 = __v12 * __v30;
    __x4_b11 = __x4_b11 + __v31;
    let __v32: f64 = __x4_b11;
    __x2_b9 = __x2_b9 + __v32;
    __x3_b10 = __x3_b10 + __v32;
    let __v33: f64 = __x3_b10;
    let __v34: f64 = __v0 * __v33;
    (*__b1) = (*__b1) + __v34;
    let __v35: f64 = __x2_b9;
    let __v36: f64 = __v1 * __v35;
    (*__b0) = (*__b0) + __v36;
    let __v37: f64 = (*__b1);
    let __v38: f64 = (*__b0);
    __v6
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
fn f__lz_jvpb(
    x: f64,
    __d0_0: impl ::leibniz::__private::TanVal<f64>,
    __d0_1: impl ::leibniz::__private::TanVal<f64>,
    __d0_2: impl ::leibniz::__private::TanVal<f64>,
    __d0_3: impl ::leibniz::__private::TanVal<f64>,
    y: f64,
    __d1_0: impl ::leibniz::__private::TanVal<f64>,
    __d1_1: impl ::leibniz::__private::TanVal<f64>,
    __d1_2: impl ::leibniz::__private::TanVal<f64>,
    __d1_3: impl ::leibniz::__private::TanVal<f64>,
) -> (f64, [f64; 4usize]) {
    let __d0_0 = ::leibniz::__private::TanVal::get(__d0_0, &x);
    let __d0_1 = ::leibniz::__private::TanVal::get(__d0_1, &x);
    let __d0_2 = ::leibniz::__private::TanVal::get(__d0_2, &x);
    let __d0_3 = ::leibniz::__private::TanVal::get(__d0_3, &x);
    let __d1_0 = ::leibniz::__private::TanVal::get(__d1_0, &y);
    let __d1_1 = ::leibniz::__private::TanVal::get(__d1_1, &y);
    let __d1_2 = ::leibniz::__private::TanVal::get(__d1_2, &y);
    let __d1_3 = ::leibniz::__private::TanVal::get(__d1_3, &y);
    let __v7: f64 = __d0_0;
    let __v21: f64 = __d0_1;
    let __v32: f64 = __d0_2;
    let __v43: f64 = __d0_3;
    let __v8: f64 = __d1_0;
    let __v22: f64 = __d1_1;
    let __v33: f64 = __d1_2;
    let __v44: f64 = __d1_3;
    let __v0: f64 = x;
    let __v1: f64 = y;
    let __v2: f64 = __v0 * __v1;
    let __v9: f64 = __v1 * __v7;
    let __v23: f64 = __v1 * __v21;
    let __v34: f64 = __v1 * __v32;
    let __v45: f64 = __v1 * __v43;
    let __v10: f64 = __v0 * __v8;
    let __v24: f64 = __v0 * __v22;
    let __v35: f64 = __v0 * __v33;
    let __v46: f64 = __v0 * __v44;
    let __v11: f64 = __v9 + __v10;
    let __v25: f64 = __v23 + __v24;
    let __v36: f64 = __v34 + __v35;
    let __v47: f64 = __v45 + __v46;
    let __v3: f64 = ::leibniz::__private::Float::sin(__v2);
    let __v12: f64 = ::leibniz::__private::Float::cos(__v2);
    let __v13: f64 = __v12 * __v11;
    let __v26: f64 = __v12 * __v25;
    let __v37: f64 = __v12 * __v36;
    let __v48: f64 = __v12 * __v47;
    let __v4: f64 = ::leibniz::__private::Float::exp(__v0);
    let __v14: f64 = ::leibniz::__private::lmul0(__v4, __v7);
    let __v27: f64 = ::leibniz::__private::lmul0(__v4, __v21);
    let __v38: f64 = ::leibniz::__private::lmul0(__v4, __v32);
    let __v49: f64 = ::leibniz::__private::lmul0(__v4, __v43);
    let __v5: f64 = __v4 / __v1;
    let __v15: f64 = __v5 / __v1;
    let __v16: f64 = -__v15;
    let __v17: f64 = ::leibniz::__private::ldiv0(__v14, __v1);
    let __v28: f64 = ::leibniz::__private::ldiv0(__v27, __v1);
    let __v39: f64 = ::leibniz::__private::ldiv0(__v38, __v1);
    let __v50: f64 = ::leibniz::__private::ldiv0(__v49, __v1);
    let __v18: f64 = ::leibniz::__private::lmul0(__v16, __v8);
    let __v29: f64 = ::leibniz::__private::lmul0(__v16, __v22);
    let __v40: f64 = ::leibniz::__private::lmul0(__v16, __v33);
    let __v51: f64 = ::leibniz::__private::lmul0(__v16, __v44);
    let __v19: f64 = __v17 + __v18;
    let __v30: f64 = __v28 + __v29;
    let __v41: f64 = __v39 + __v40;
    let __v52: f64 = __v50 + __v51;
    let __v6: f64 = __v3 + __v5;
    let __v20: f64 = __v13 + __v19;
    let __v31: f64 = __v26 + __v30;
    let __v42: f64 = __v37 + __v41;
    let __v53: f64 = __v48 + __v52;
    (__v6, [__v20, __v31, __v42, __v53])
}
/// Forward mode (JVP): the value and its tangent of [`f`]. Emitted by `#[differentiable]`.
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
fn f_jvp(x: f64, __d0: f64, y: f64, __d1: f64) -> (f64, f64) {
    f__lz_jvp(x, __d0, y, __d1)
}
/// Vector-mode forward: the value and its tangent along each of `m` directions (`dxs[j]` is direction `j` of parameter `x`; every active parameter gets `m`), 4 directions per primal sweep of [`f`]. Emitted by `#[differentiable]`.
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
fn f_jvp_batch(
    x: f64,
    __d0: &[f64],
    y: f64,
    __d1: &[f64],
) -> (f64, ::std::vec::Vec<f64>) {
    let __lz_m = __d0.len();
    assert!(
        __d1.len() == __lz_m, "leibniz: {}: {} directions for `{}` but {} for `{}`",
        "f_jvp_batch", __d1.len(), "y", __lz_m, "x"
    );
    let mut __lz_out: ::std::vec::Vec<f64> = ::std::vec::Vec::with_capacity(__lz_m);
    let mut __lz_r: ::core::option::Option<f64> = ::core::option::Option::None;
    let mut __lz_c = 0usize;
    while __lz_c < __lz_m {
        let (__lz_y, __lz_ds) = f__lz_jvpb(
            ::core::clone::Clone::clone(&x),
            ::core::clone::Clone::clone(&__d0[(__lz_c + 0usize).min(__lz_m - 1)]),
            ::core::clone::Clone::clone(&__d0[(__lz_c + 1usize).min(__lz_m - 1)]),
            ::core::clone::Clone::clone(&__d0[(__lz_c + 2usize).min(__lz_m - 1)]),
            ::core::clone::Clone::clone(&__d0[(__lz_c + 3usize).min(__lz_m - 1)]),
            ::core::clone::Clone::clone(&y),
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
            f(::core::clone::Clone::clone(&x), ::core::clone::Clone::clone(&y))
        }
    };
    (__lz_r, __lz_out)
}
/// Reverse mode (VJP): the value, shadows receive `+=` the adjoints of the by-reference parameters, the adjoints of the by-value ones are returned of [`f`]. Emitted by `#[differentiable]`.
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
fn f_vjp(x: f64, y: f64, __dout: f64) -> (f64, (f64, f64)) {
    let mut __a0 = ::leibniz::__private::zero_like(&x);
    let mut __a1 = ::leibniz::__private::zero_like(&y);
    let __r = f__lz_vjpc(x, &mut __a0, y, &mut __a1, __dout);
    (__r, (__a0, __a1))
}
/// The value and the gradient (reverse mode), one entry per active parameter of [`f`]. Emitted by `#[differentiable]`.
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
fn f_grad(x: f64, y: f64) -> (f64, (f64, f64)) {
    let mut __a0 = ::leibniz::__private::zero_like(&x);
    let mut __a1 = ::leibniz::__private::zero_like(&y);
    let __r = f__lz_vjpc(
        x,
        &mut __a0,
        y,
        &mut __a1,
        <f64 as ::leibniz::__private::One>::one(),
    );
    (__r, (__a0, __a1))
}
/// Runs the forward sweep once and keeps the tape; pull back cotangents with `_pullback` of [`f`]. Emitted by `#[differentiable]`.
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
fn f_record(x: f64, y: f64) -> (f64, ::leibniz::Tape<(f64, f64)>) {
    let mut __tape = ::leibniz::__private::TapeBuf::new();
    let __r = f__lz_fwd(
        ::core::clone::Clone::clone(&x),
        ::core::clone::Clone::clone(&y),
        &mut __tape,
    );
    (__r, ::leibniz::Tape::__new(__tape, (x, y)))
}
/// One backward sweep over a tape recorded by `_record` of [`f`]. Emitted by `#[differentiable]`.
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
fn f_pullback(__tape_in: &::leibniz::Tape<(f64, f64)>, __dout: f64) -> (f64, f64) {
    let (__buf, __inputs) = __tape_in.__parts();
    let (__in0, __in1) = __inputs;
    let mut __a0 = ::leibniz::__private::zero_like(__in0);
    let mut __a1 = ::leibniz::__private::zero_like(__in1);
    f__lz_bwd(
        ::core::clone::Clone::clone(__in0),
        &mut __a0,
        ::core::clone::Clone::clone(__in1),
        &mut __a1,
        __dout,
        &mut __buf.reader(),
    );
    (__a0, __a1)
}
/// The value and the dense Jacobian `J[out][in]`: outputs are the flattened result then the active `&mut` parameters, inputs the active parameters flattened in order; forward or reverse mode by shape, sweeps in parallel when large of [`f`]. Emitted by `#[differentiable]`.
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
fn f_jacobian(x: f64, y: f64) -> (f64, ::std::vec::Vec<::std::vec::Vec<f64>>) {
    #[allow(unused_imports)]
    use ::leibniz::__private::higher::{
        ParSweeps as _, SerSweeps as _, SnapClone as _, SnapNone as _,
    };
    let __lz_r: f64 = f(
        ::core::clone::Clone::clone(&x),
        ::core::clone::Clone::clone(&y),
    );
    let mut __lz_tmp: ::std::vec::Vec<f64> = ::std::vec::Vec::new();
    ::leibniz::__private::higher::flat_push(
        &mut __lz_tmp,
        &::leibniz::__private::zero_like(&x),
    );
    ::leibniz::__private::higher::flat_push(
        &mut __lz_tmp,
        &::leibniz::__private::zero_like(&y),
    );
    let __lz_n_in = __lz_tmp.len();
    __lz_tmp.clear();
    ::leibniz::__private::higher::flat_push(&mut __lz_tmp, &__lz_r);
    let __lz_n_out = __lz_tmp.len();
    let __lz_vjp = |__lz_w: &[f64]| -> ::std::vec::Vec<f64> {
        let mut __lz_at = 0usize;
        let mut __lz_dout: f64 = ::leibniz::__private::zero_like(&__lz_r);
        ::leibniz::__private::higher::flat_read(&mut __lz_dout, __lz_w, &mut __lz_at);
        let (_, __lz_a) = f_vjp(
            ::core::clone::Clone::clone(&x),
            ::core::clone::Clone::clone(&y),
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
        let mut __v1_0 = ::leibniz::__private::zero_like(&y);
        ::leibniz::__private::higher::flat_read(
            &mut __v1_0,
            &__lz_vs[0usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[0usize],
        );
        let mut __v1_1 = ::leibniz::__private::zero_like(&y);
        ::leibniz::__private::higher::flat_read(
            &mut __v1_1,
            &__lz_vs[1usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[1usize],
        );
        let mut __v1_2 = ::leibniz::__private::zero_like(&y);
        ::leibniz::__private::higher::flat_read(
            &mut __v1_2,
            &__lz_vs[2usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[2usize],
        );
        let mut __v1_3 = ::leibniz::__private::zero_like(&y);
        ::leibniz::__private::higher::flat_read(
            &mut __v1_3,
            &__lz_vs[3usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[3usize],
        );
        let (_, __lz_ds) = f__lz_jvpb(
            ::core::clone::Clone::clone(&x),
            __v0_0,
            __v0_1,
            __v0_2,
            __v0_3,
            ::core::clone::Clone::clone(&y),
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
/// The value, the gradient and the Hessian-vector product `H v` (forward over reverse), directions placed like `_jvp` tangents of [`f`]. Emitted by `#[differentiable]`.
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
fn f_hvp(x: f64, __d0: f64, y: f64, __d1: f64) -> (f64, (f64, f64), (f64, f64)) {
    let mut __tape = ::leibniz::__private::TapeBuf::new();
    let mut __a0 = ::leibniz::__private::zero_like(&x);
    let mut __h0 = ::leibniz::__private::zero_like(&x);
    let mut __a1 = ::leibniz::__private::zero_like(&y);
    let mut __h1 = ::leibniz::__private::zero_like(&y);
    let (__r, _) = f__lz_fwd_jvp(
        ::core::clone::Clone::clone(&x),
        ::core::clone::Clone::clone(&__d0),
        ::core::clone::Clone::clone(&y),
        ::core::clone::Clone::clone(&__d1),
        &mut __tape,
    );
    let _ = f__lz_bwd_jvp(
        x,
        __d0,
        &mut __a0,
        &mut __h0,
        y,
        __d1,
        &mut __a1,
        &mut __h1,
        <f64 as ::leibniz::__private::One>::one(),
        ::leibniz::__private::ZeroTan,
        &mut __tape.reader(),
    );
    (__r, (__a0, __a1), (__h0, __h1))
}
/// The value, the gradient and the dense Hessian over the active inputs flattened in parameter order (one HVP per input, in parallel when large) of [`f`]. Emitted by `#[differentiable]`.
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
fn f_hessian(
    x: f64,
    y: f64,
) -> (f64, ::std::vec::Vec<f64>, ::std::vec::Vec<::std::vec::Vec<f64>>) {
    #[allow(unused_imports)]
    use ::leibniz::__private::higher::{ParSweeps as _, SerSweeps as _};
    let (__lz_r, __lz_g) = f_grad(
        ::core::clone::Clone::clone(&x),
        ::core::clone::Clone::clone(&y),
    );
    let mut __lz_gf: ::std::vec::Vec<f64> = ::std::vec::Vec::new();
    ::leibniz::__private::higher::flat_push(&mut __lz_gf, &__lz_g.0);
    ::leibniz::__private::higher::flat_push(&mut __lz_gf, &__lz_g.1);
    let __lz_n = __lz_gf.len();
    let __lz_hvp = |__lz_v: &[f64]| -> ::std::vec::Vec<f64> {
        let mut __lz_at = 0usize;
        let mut __v0 = ::leibniz::__private::zero_like(&x);
        ::leibniz::__private::higher::flat_read(&mut __v0, __lz_v, &mut __lz_at);
        let mut __v1 = ::leibniz::__private::zero_like(&y);
        ::leibniz::__private::higher::flat_read(&mut __v1, __lz_v, &mut __lz_at);
        let (_, _, __lz_hv) = f_hvp(
            ::core::clone::Clone::clone(&x),
            __v0,
            ::core::clone::Clone::clone(&y),
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
const f__lz_cuda: ::leibniz::gpu::DeviceFn = ::leibniz::gpu::DeviceFn {
    name: "f",
    module: ::core::module_path!(),
    source: "template <typename LZF> __device__ inline double @SELF@(double a_x, double a_y) {\n  double v0 = a_x;\n  double v1 = a_y;\n  double v2 = v0 * v1;\n  double v3 = sin(v2);\n  double v4 = exp(v0);\n  double v5 = v4 / v1;\n  double v6 = v3 + v5;\n  return v6;\n}\ntemplate <typename LZF> __device__ inline lz_tup<double, double> @SELF@__lz_jvp(double a_x, double d_x, double a_y, double d_y) {\n  double v7 = d_x;\n  double v8 = d_y;\n  double v0 = a_x;\n  double v1 = a_y;\n  double v2 = v0 * v1;\n  double v9 = v1 * v7;\n  double v10 = v0 * v8;\n  double v11 = v9 + v10;\n  double v3 = sin(v2);\n  double v12 = cos(v2);\n  double v13 = v12 * v11;\n  double v4 = exp(v0);\n  double v14 = lz_lmul0(v4, v7);\n  double v5 = v4 / v1;\n  double v15 = v5 / v1;\n  double v16 = -v15;\n  double v17 = lz_ldiv0(v14, v1);\n  double v18 = lz_lmul0(v16, v8);\n  double v19 = v17 + v18;\n  double v6 = v3 + v5;\n  double v20 = v13 + v19;\n  return lz_mk((double)(v6), (double)(v20));\n}\ntemplate <typename LZF> __device__ inline void @SELF@__lz_bwd(double a_x, double* b_x, double a_y, double* b_y, double lz_dout) {\n  double lz_b_x = (double)0;\n  double lz_b_y = (double)0;\n  double lz_tf[3]; int lz_nf = 0;\n  {\n    double v0 = a_x;\n    double v1 = a_y;\n    double v2 = v0 * v1;\n    double v3 = sin(v2);\n    double v12 = cos(v2);\n    double v4 = exp(v0);\n    double v5 = v4 / v1;\n    double v15 = v5 / v1;\n    double v16 = -v15;\n    double v6 = v3 + v5;\n    lz_tf[lz_nf++] = v4;\n    lz_tf[lz_nf++] = v12;\n    lz_tf[lz_nf++] = v16;\n  }\n  {\n    double v21 = lz_dout;\n    const double v16 = lz_tf[--lz_nf];\n    const double v12 = lz_tf[--lz_nf];\n    const double v4 = lz_tf[--lz_nf];\n    double v0 = a_x;\n    double v1 = a_y;\n    double x2 = 0.0;\n    double x3 = 0.0;\n    double x4 = 0.0;\n    double x5 = 0.0;\n    double x6 = 0.0;\n    double x7 = 0.0;\n    double x8 = 0.0;\n    double x9 = 0.0;\n    double x10 = 0.0;\n    x10 += v21;\n    double v22 = x10;\n    x5 += v22;\n    x9 += v22;\n    double v23 = x9;\n    x7 += v23;\n    x8 += v23;\n    double v24 = x8;\n    double v25 = lz_lmul0(v16, v24);\n    lz_b_y += v25;\n    double v26 = x7;\n    double v27 = lz_ldiv0(v26, v1);\n    x6 += v27;\n    double v28 = x6;\n    double v29 = lz_lmul0(v4, v28);\n    lz_b_x += v29;\n    double v30 = x5;\n    double v31 = v12 * v30;\n    x4 += v31;\n    double v32 = x4;\n    x2 += v32;\n    x3 += v32;\n    double v33 = x3;\n    double v34 = v0 * v33;\n    lz_b_y += v34;\n    double v35 = x2;\n    double v36 = v1 * v35;\n    lz_b_x += v36;\n    double v37 = lz_b_y;\n    double v38 = lz_b_x;\n  }\n  if (b_x) *b_x += lz_b_x;\n  if (b_y) *b_y += lz_b_y;\n}\n",
    deps: &[],
    consts: ::leibniz::gpu::DeviceFn::NO_CONSTS,
    unsupported: ::core::option::Option::None,
};
#[doc(hidden)]
#[allow(non_camel_case_types)]
struct f__lz_marker;
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
    f__lz_marker,
    (f64, __LzS1, f64, __LzS3),
    __LzN,
> for ::leibniz::__private::registry::Key<12638186101044013785u64> {
    type Out = (f64, f64);
    #[inline(always)]
    fn call((x, __d0, y, __d1): (f64, __LzS1, f64, __LzS3)) -> (f64, f64) {
        f__lz_jvp(x, __d0, y, __d1)
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
    f__lz_marker,
    (f64, f64, &'__lzl0 mut ::leibniz::__private::TapeBuf),
    __LzN,
> for ::leibniz::__private::registry::Key<12638186101044013785u64> {
    type Out = f64;
    #[inline(always)]
    fn call(
        (x, y, __tape): (f64, f64, &'__lzl0 mut ::leibniz::__private::TapeBuf),
    ) -> f64 {
        f__lz_fwd(x, y, __tape)
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
    f__lz_marker,
    (
        f64,
        __LzS1,
        f64,
        __LzS3,
        f64,
        &'__lzl0 mut ::leibniz::__private::TapeRead<'__lzl1>,
    ),
    __LzN,
> for ::leibniz::__private::registry::Key<12638186101044013785u64> {
    type Out = ();
    #[inline(always)]
    fn call(
        (
            x,
            __b0,
            y,
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
        f__lz_bwd(x, __b0, y, __b1, __dout, __tape)
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
    f__lz_marker,
    (f64, __LzS1, f64, __LzS3, &'__lzl0 mut ::leibniz::__private::TapeBuf),
    __LzN,
> for ::leibniz::__private::registry::Key<12638186101044013785u64> {
    type Out = (f64, f64);
    #[inline(always)]
    fn call(
        (
            x,
            __d0,
            y,
            __d1,
            __tape,
        ): (f64, __LzS1, f64, __LzS3, &'__lzl0 mut ::leibniz::__private::TapeBuf),
    ) -> (f64, f64) {
        f__lz_fwd_jvp(x, __d0, y, __d1, __tape)
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
    f__lz_marker,
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
> for ::leibniz::__private::registry::Key<12638186101044013785u64> {
    type Out = ((), ());
    #[inline(always)]
    fn call(
        (
            x,
            __e0,
            __b0,
            __f0,
            y,
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
        f__lz_bwd_jvp(x, __e0, __b0, __f0, y, __e1, __b1, __f1, __dout, __ddout, __tape)
    }
}
