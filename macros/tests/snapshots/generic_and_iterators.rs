fn norm<T: Float>(x: &[T]) -> T {
    x.iter().map(|v| *v * *v).sum::<T>().sqrt()
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
fn norm__lz_jvp<T: Float>(
    x: &[T],
    __d0: impl ::leibniz::__private::TanRef<[T]>,
) -> (T, T)
where
    T: ::leibniz::Float,
{
    let __d0_g = ::leibniz::__private::TanRef::get(&__d0, &*x);
    let __d0 = &*__d0_g;
    let __v0: usize = (*x).len();
    let __v1: T = <T as ::leibniz::__private::Zero>::zero();
    let __v2: usize = 0usize;
    let __v11: T = <T as ::leibniz::__private::Zero>::zero();
    let mut __c3: T = __v1;
    let mut __c12: T = __v11;
    for __v4 in __v2..__v0 {
        let __v4: usize = __v4;
        let __v3: T = __c3;
        let __v12: T = __c12;
        let __v5: T = x[__v4];
        let __v14: T = __d0[__v4];
        let __v7: T = __v5 * __v5;
        let __v15: T = __v5 * __v14;
        let __v16: T = __v5 * __v14;
        let __v17: T = __v15 + __v16;
        let __v8: T = __v3 + __v7;
        let __v18: T = __v12 + __v17;
        __c3 = __v8;
        __c12 = __v18;
    }
    let __v9: T = __c3;
    let __v13: T = __c12;
    let __v10: T = ::leibniz::__private::Float::sqrt(__v9);
    let __v19: T = ::leibniz::__private::lit::<T>(2f64);
    let __v20: T = __v19 * __v10;
    let __v21: T = ::leibniz::__private::ldiv0(__v13, __v20);
    (__v10, __v21)
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
fn norm__lz_fwd<T: Float>(x: &[T], __tape: &mut ::leibniz::__private::TapeBuf) -> T
where
    T: ::leibniz::Float,
{
    let __v0: usize = (*x).len();
    let __v1: T = <T as ::leibniz::__private::Zero>::zero();
    let __v2: usize = 0usize;
    let mut __c3: T = __v1;
    for __v4 in __v2..__v0 {
        let __v4: usize = __v4;
        let __v3: T = __c3;
        let __v5: T = x[__v4];
        let __v7: T = __v5 * __v5;
        let __v8: T = __v3 + __v7;
        __c3 = __v8;
    }
    let __v9: T = __c3;
    let __v10: T = ::leibniz::__private::Float::sqrt(__v9);
    let __v19: T = ::leibniz::__private::lit::<T>(2f64);
    let __v20: T = __v19 * __v10;
    ::leibniz::__private::TapeBuf::push(__tape, __v20);
    __v10
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
fn norm__lz_bwd<T: Float>(
    x: &[T],
    __b0: impl ::leibniz::__private::ShadowOf<[T]>,
    __dout: T,
    __tape: &mut ::leibniz::__private::TapeRead<'_>,
) -> ()
where
    T: ::leibniz::Float,
{
    let mut __b0_g = ::leibniz::__private::ShadowOf::get(
        __b0,
        ::core::option::Option::Some(&*x),
    );
    let __b0 = &mut *__b0_g;
    let __v22: T = __dout;
    let __v20: T = ::leibniz::__private::TapePop::pop(__tape);
    let __v0: usize = (*x).len();
    let __v2: usize = 0usize;
    let mut __x2_b13: T = -<T as ::leibniz::__private::Zero>::zero();
    let mut __x3_b21: T = -<T as ::leibniz::__private::Zero>::zero();
    __x3_b21 = __x3_b21 + __v22;
    let __v23: T = __x3_b21;
    let __v24: T = ::leibniz::__private::ldiv0(__v23, __v20);
    __x2_b13 = __x2_b13 + __v24;
    let __v25: T = __x2_b13;
    let mut __x4_bc12: T = __v25;
    for __v4 in (__v2..__v0).rev() {
        let __v4: usize = __v4;
        let __v26: T = __x4_bc12;
        let __v5: T = x[__v4];
        let mut __x5_b12: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x6_b14: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x7_b15: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x8_b16: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x9_b17: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x10_b18: T = -<T as ::leibniz::__private::Zero>::zero();
        __x10_b18 = __x10_b18 + __v26;
        let __v27: T = __x10_b18;
        __x5_b12 = __x5_b12 + __v27;
        __x9_b17 = __x9_b17 + __v27;
        let __v28: T = __x9_b17;
        __x7_b15 = __x7_b15 + __v28;
        __x8_b16 = __x8_b16 + __v28;
        let __v29: T = __x8_b16;
        let __v30: T = __v5 * __v29;
        __x6_b14 = __x6_b14 + __v30;
        let __v31: T = __x7_b15;
        let __v32: T = __v5 * __v31;
        __x6_b14 = __x6_b14 + __v32;
        let __v33: T = __x6_b14;
        __b0[__v4] = __b0[__v4] + __v33;
        let __v34: T = __x5_b12;
        __x4_bc12 = __v34;
        let __v35: T = <T as ::leibniz::__private::Zero>::zero();
        __x5_b12 = __v35;
    }
    let __v36: T = __x4_bc12;
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
fn norm__lz_fwd_jvp<T: Float>(
    x: &[T],
    __d0: impl ::leibniz::__private::TanRef<[T]>,
    __tape: &mut ::leibniz::__private::TapeBuf,
) -> (T, T)
where
    T: ::leibniz::Float,
{
    let __d0_g = ::leibniz::__private::TanRef::get(&__d0, &*x);
    let __d0 = &*__d0_g;
    let __v0: usize = (*x).len();
    let __v1: T = <T as ::leibniz::__private::Zero>::zero();
    let __v2: usize = 0usize;
    let __v22: T = <T as ::leibniz::__private::Zero>::zero();
    let mut __c3: T = __v1;
    let mut __c23: T = __v22;
    for __v4 in __v2..__v0 {
        let __v4: usize = __v4;
        let __v3: T = __c3;
        let __v23: T = __c23;
        let __v5: T = x[__v4];
        let __v25: T = __d0[__v4];
        let __v7: T = __v5 * __v5;
        let __v26: T = __v5 * __v25;
        let __v27: T = __v5 * __v25;
        let __v28: T = __v26 + __v27;
        let __v8: T = __v3 + __v7;
        let __v29: T = __v23 + __v28;
        __c3 = __v8;
        __c23 = __v29;
    }
    let __v9: T = __c3;
    let __v24: T = __c23;
    let __v10: T = ::leibniz::__private::Float::sqrt(__v9);
    let __v30: T = ::leibniz::__private::lit::<T>(2f64);
    let __v31: T = __v30 * __v10;
    let __v32: T = ::leibniz::__private::ldiv0(__v24, __v31);
    let __v19: T = ::leibniz::__private::lit::<T>(2f64);
    let __v20: T = __v19 * __v10;
    let __v33: T = __v19 * __v32;
    ::leibniz::__private::TapeBuf::push(__tape, __v33);
    ::leibniz::__private::TapeBuf::push(__tape, __v20);
    (__v10, __v32)
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
fn norm__lz_bwd_jvp<T: Float>(
    x: &[T],
    __e0: impl ::leibniz::__private::TanRef<[T]>,
    __b0: impl ::leibniz::__private::ShadowOf<[T]>,
    __f0: impl ::leibniz::__private::ShadowOf<[T]>,
    __dout: T,
    __ddout: impl ::leibniz::__private::TanVal<T>,
    __tape: &mut ::leibniz::__private::TapeRead<'_>,
) -> ((), ())
where
    T: ::leibniz::Float,
{
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
    let __v37: T = __ddout;
    let __v22: T = __dout;
    let __v20: T = ::leibniz::__private::TapePop::pop(__tape);
    let __v38: T = ::leibniz::__private::TapePop::pop(__tape);
    let __v0: usize = (*x).len();
    let __v2: usize = 0usize;
    let mut __x2_b13: T = -<T as ::leibniz::__private::Zero>::zero();
    let mut __x13_db13: T = -<T as ::leibniz::__private::Zero>::zero();
    let mut __x3_b21: T = -<T as ::leibniz::__private::Zero>::zero();
    let mut __x14_db21: T = -<T as ::leibniz::__private::Zero>::zero();
    __x3_b21 = __x3_b21 + __v22;
    __x14_db21 = __x14_db21 + __v37;
    let __v23: T = __x3_b21;
    let __v39: T = __x14_db21;
    let __v24: T = ::leibniz::__private::ldiv0(__v23, __v20);
    let __v40: T = ::leibniz::__private::ldiv0(__v39, __v20);
    let __v41: T = ::leibniz::__private::ldiv0(__v23, __v20);
    let __v42: T = ::leibniz::__private::ldiv0(__v41, __v20);
    let __v43: T = -__v42;
    let __v44: T = ::leibniz::__private::lmul0(__v38, __v43);
    let __v45: T = __v40 + __v44;
    __x2_b13 = __x2_b13 + __v24;
    __x13_db13 = __x13_db13 + __v45;
    let __v25: T = __x2_b13;
    let __v46: T = __x13_db13;
    let mut __x4_bc12: T = __v25;
    let mut __x15_dbc12: T = __v46;
    for __v4 in (__v2..__v0).rev() {
        let __v4: usize = __v4;
        let __v26: T = __x4_bc12;
        let __v47: T = __x15_dbc12;
        let __v5: T = x[__v4];
        let __v48: T = __e0[__v4];
        let mut __x5_b12: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x16_db12: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x6_b14: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x17_db14: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x7_b15: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x18_db15: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x8_b16: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x19_db16: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x9_b17: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x20_db17: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x10_b18: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x21_db18: T = -<T as ::leibniz::__private::Zero>::zero();
        __x10_b18 = __x10_b18 + __v26;
        __x21_db18 = __x21_db18 + __v47;
        let __v27: T = __x10_b18;
        let __v49: T = __x21_db18;
        __x5_b12 = __x5_b12 + __v27;
        __x16_db12 = __x16_db12 + __v49;
        __x9_b17 = __x9_b17 + __v27;
        __x20_db17 = __x20_db17 + __v49;
        let __v28: T = __x9_b17;
        let __v50: T = __x20_db17;
        __x7_b15 = __x7_b15 + __v28;
        __x18_db15 = __x18_db15 + __v50;
        __x8_b16 = __x8_b16 + __v28;
        __x19_db16 = __x19_db16 + __v50;
        let __v29: T = __x8_b16;
        let __v51: T = __x19_db16;
        let __v30: T = __v5 * __v29;
        let __v52: T = __v29 * __v48;
        let __v53: T = __v5 * __v51;
        let __v54: T = __v52 + __v53;
        __x6_b14 = __x6_b14 + __v30;
        __x17_db14 = __x17_db14 + __v54;
        let __v31: T = __x7_b15;
        let __v55: T = __x18_db15;
        let __v32: T = __v5 * __v31;
        let __v56: T = __v31 * __v48;
        let __v57: T = __v5 * __v55;
        let __v58: T = __v56 + __v57;
        __x6_b14 = __x6_b14 + __v32;
        __x17_db14 = __x17_db14 + __v58;
        let __v33: T = __x6_b14;
        let __v59: T = __x17_db14;
        __b0[__v4] = __b0[__v4] + __v33;
        __f0[__v4] = __f0[__v4] + __v59;
        let __v34: T = __x5_b12;
        let __v60: T = __x16_db12;
        __x4_bc12 = __v34;
        __x15_dbc12 = __v60;
        let __v35: T = <T as ::leibniz::__private::Zero>::zero();
        __x5_b12 = __v35;
        let __v61: T = <T as ::leibniz::__private::Zero>::zero();
        __x16_db12 = __v61;
    }
    let __v36: T = __x4_bc12;
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
fn norm__lz_vjpc<T: Float>(
    x: &[T],
    __b0: impl ::leibniz::__private::ShadowOf<[T]>,
    __dout: T,
) -> T
where
    T: ::leibniz::Float,
{
    let mut __b0_g = ::leibniz::__private::ShadowOf::get(
        __b0,
        ::core::option::Option::Some(&*x),
    );
    let __b0 = &mut *__b0_g;
    let mut __tape_buf = ::leibniz::__private::TapeBuf::new();
    let __tape = &mut __tape_buf;
    #[allow(unsafe_code)]
    let __lz_r = {
        let __v22: T = __dout;
        ::leibniz::__private::same_len(&(((*__b0)))[..], &(((*x)))[..], "x");
        let __v0: usize = (*x).len();
        let __v1: T = <T as ::leibniz::__private::Zero>::zero();
        let __v2: usize = 0usize;
        ::leibniz::__private::check_range(
            &(((*x)))[..],
            __v2,
            __v0,
            false,
            1usize,
            0usize,
        );
        let mut __c3: T = __v1;
        for __v4 in __v2..__v0 {
            let __v4: usize = __v4;
            let __v3: T = __c3;
            let __v5: T = (*x)[unsafe { ::leibniz::__private::Unchecked::new(__v4) }];
            let __v7: T = __v5 * __v5;
            let __v8: T = __v3 + __v7;
            __c3 = __v8;
        }
        let __v9: T = __c3;
        let __v10: T = ::leibniz::__private::Float::sqrt(__v9);
        let __v19: T = ::leibniz::__private::lit::<T>(2f64);
        let __v20: T = __v19 * __v10;
        let __v0: usize = (*x).len();
        let __v2: usize = 0usize;
        let mut __x2_b13: T = -<T as ::leibniz::__private::Zero>::zero();
        let mut __x3_b21: T = -<T as ::leibniz::__private::Zero>::zero();
        __x3_b21 = __x3_b21 + __v22;
        let __v23: T = __x3_b21;
        let __v24: T = ::leibniz::__private::ldiv0(__v23, __v20);
        __x2_b13 = __x2_b13 + __v24;
        let __v25: T = __x2_b13;
        let mut __x4_bc12: T = __v25;
        for __v4 in (__v2..__v0).rev() {
            let __v4: usize = __v4;
            let __v26: T = __x4_bc12;
            let __v5: T = (*x)[unsafe { ::leibniz::__private::Unchecked::new(__v4) }];
            let mut __x5_b12: T = -<T as ::leibniz::__private::Zero>::zero();
            let mut __x6_b14: T = -<T as ::leibniz::__private::Zero>::zero();
            let mut __x7_b15: T = -<T as ::leibniz::__private::Zero>::zero();
            let mut __x8_b16: T = -<T as ::leibniz::__private::Zero>::zero();
            let mut __x9_b17: T = -<T as ::leibniz::__private::Zero>::zero();
            let mut __x10_b18: T = -<T as ::leibniz::__private::Zero>::zero();
            __x10_b18 = __x10_b18 + __v26;
            let __v27: T = __x10_b18;
            __x5_b12 = __x5_b12 + __v27;
            __x9_b17 = __x9_b17 + __v27;
            let __v28: T = __x9_b17;
            __x7_b15 = __x7_b15 + __v28;
            __x8_b16 = __x8_b16 + __v28;
            let __v29: T = __x8_b16;
            let __v30: T = __v5 * __v29;
            __x6_b14 = __x6_b14 + __v30;
            let __v31: T = __x7_b15;
            let __v32: T = __v5 * __v31;
            __x6_b14 = __x6_b14 + __v32;
            let __v33: T = __x6_b14;
            (*__b0)[unsafe { ::leibniz::__private::Unchecked::new(__v4) }] = (*__b0)[unsafe {
                ::leibniz::__private::Unchecked::new(__v4)
            }] + __v33;
            let __v34: T = __x5_b12;
            __x4_bc12 = __v34;
            let __v35: T = <T as ::leibniz::__private::Zero>::zero();
            __x5_b12 = __v35;
        }
        let __v36: T = __x4_bc12;
        __v10
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
fn norm__lz_jvpb<T: Float>(
    x: &[T],
    __d0_0: impl ::leibniz::__private::TanRef<[T]>,
    __d0_1: impl ::leibniz::__private::TanRef<[T]>,
    __d0_2: impl ::leibniz::__private::TanRef<[T]>,
    __d0_3: impl ::leibniz::__private::TanRef<[T]>,
) -> (T, [T; 4usize])
where
    T: ::leibniz::Float,
{
    let __d0_0_g = ::leibniz::__private::TanRef::get(&__d0_0, &*x);
    let __d0_0 = &*__d0_0_g;
    let __d0_1_g = ::leibniz::__private::TanRef::get(&__d0_1, &*x);
    let __d0_1 = &*__d0_1_g;
    let __d0_2_g = ::leibniz::__private::TanRef::get(&__d0_2, &*x);
    let __d0_2 = &*__d0_2_g;
    let __d0_3_g = ::leibniz::__private::TanRef::get(&__d0_3, &*x);
    let __d0_3 = &*__d0_3_g;
    let __v0: usize = (*x).len();
    let __v1: T = <T as ::leibniz::__private::Zero>::zero();
    let __v2: usize = 0usize;
    let __v11: T = <T as ::leibniz::__private::Zero>::zero();
    let __v22: T = <T as ::leibniz::__private::Zero>::zero();
    let __v31: T = <T as ::leibniz::__private::Zero>::zero();
    let __v40: T = <T as ::leibniz::__private::Zero>::zero();
    let mut __c3: T = __v1;
    let mut __c12: T = __v11;
    let mut __c23: T = __v22;
    let mut __c32: T = __v31;
    let mut __c41: T = __v40;
    for __v4 in __v2..__v0 {
        let __v4: usize = __v4;
        let __v3: T = __c3;
        let __v12: T = __c12;
        let __v23: T = __c23;
        let __v32: T = __c32;
        let __v41: T = __c41;
        let __v5: T = x[__v4];
        let __v14: T = __d0_0[__v4];
        let __v25: T = __d0_1[__v4];
        let __v34: T = __d0_2[__v4];
        let __v43: T = __d0_3[__v4];
        let __v7: T = __v5 * __v5;
        let __v15: T = __v5 * __v14;
        let __v26: T = __v5 * __v25;
        let __v35: T = __v5 * __v34;
        let __v44: T = __v5 * __v43;
        let __v16: T = __v5 * __v14;
        let __v27: T = __v5 * __v25;
        let __v36: T = __v5 * __v34;
        let __v45: T = __v5 * __v43;
        let __v17: T = __v15 + __v16;
        let __v28: T = __v26 + __v27;
        let __v37: T = __v35 + __v36;
        let __v46: T = __v44 + __v45;
        let __v8: T = __v3 + __v7;
        let __v18: T = __v12 + __v17;
        let __v29: T = __v23 + __v28;
        let __v38: T = __v32 + __v37;
        let __v47: T = __v41 + __v46;
        __c3 = __v8;
        __c12 = __v18;
        __c23 = __v29;
        __c32 = __v38;
        __c41 = __v47;
    }
    let __v9: T = __c3;
    let __v13: T = __c12;
    let __v24: T = __c23;
    let __v33: T = __c32;
    let __v42: T = __c41;
    let __v10: T = ::leibniz::__private::Float::sqrt(__v9);
    let __v19: T = ::leibniz::__private::lit::<T>(2f64);
    let __v20: T = __v19 * __v10;
    let __v21: T = ::leibniz::__private::ldiv0(__v13, __v20);
    let __v30: T = ::leibniz::__private::ldiv0(__v24, __v20);
    let __v39: T = ::leibniz::__private::ldiv0(__v33, __v20);
    let __v48: T = ::leibniz::__private::ldiv0(__v42, __v20);
    (__v10, [__v21, __v30, __v39, __v48])
}
/// Forward mode (JVP): the value and its tangent of [`norm`]. Emitted by `#[differentiable]`.
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
fn norm_jvp<T: Float>(x: &[T], __d0: &[T]) -> (T, T)
where
    T: ::leibniz::Float,
{
    norm__lz_jvp(&*x, __d0)
}
/// Vector-mode forward: the value and its tangent along each of `m` directions (`dxs[j]` is direction `j` of parameter `x`; every active parameter gets `m`), 4 directions per primal sweep of [`norm`]. Emitted by `#[differentiable]`.
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
fn norm_jvp_batch<T: Float>(
    x: &[T],
    __d0: &[impl ::core::borrow::Borrow<[T]>],
) -> (T, ::std::vec::Vec<T>)
where
    T: ::leibniz::Float,
{
    let __lz_m = __d0.len();
    let mut __lz_out: ::std::vec::Vec<T> = ::std::vec::Vec::with_capacity(__lz_m);
    let mut __lz_r: ::core::option::Option<T> = ::core::option::Option::None;
    let mut __lz_c = 0usize;
    while __lz_c < __lz_m {
        let (__lz_y, __lz_ds) = norm__lz_jvpb(
            &*x,
            ::core::borrow::Borrow::<
                [T],
            >::borrow(&__d0[(__lz_c + 0usize).min(__lz_m - 1)]),
            ::core::borrow::Borrow::<
                [T],
            >::borrow(&__d0[(__lz_c + 1usize).min(__lz_m - 1)]),
            ::core::borrow::Borrow::<
                [T],
            >::borrow(&__d0[(__lz_c + 2usize).min(__lz_m - 1)]),
            ::core::borrow::Borrow::<
                [T],
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
        ::core::option::Option::None => norm(&*x),
    };
    (__lz_r, __lz_out)
}
/// Reverse mode (VJP): the value, shadows receive `+=` the adjoints of the by-reference parameters, the adjoints of the by-value ones are returned of [`norm`]. Emitted by `#[differentiable]`.
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
fn norm_vjp<T: Float>(x: &[T], __b0: &mut [T], __dout: T) -> (T, ())
where
    T: ::leibniz::Float,
{
    let __r = norm__lz_vjpc(&*x, &mut *__b0, __dout);
    (__r, ())
}
/// The value and the gradient (reverse mode), one entry per active parameter of [`norm`]. Emitted by `#[differentiable]`.
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
fn norm_grad<T: Float>(x: &[T]) -> (T, ::std::vec::Vec<T>)
where
    T: ::leibniz::Float,
{
    let mut __a0 = ::leibniz::__private::zero_owned::<[T]>(&*x);
    let __r = norm__lz_vjpc(&*x, &mut __a0, <T as ::leibniz::__private::One>::one());
    (__r, __a0)
}
/// Runs the forward sweep once and keeps the tape; pull back cotangents with `_pullback` of [`norm`]. Emitted by `#[differentiable]`.
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
fn norm_record<'__lz0, T: Float>(x: &'__lz0 [T]) -> (T, ::leibniz::Tape<(&'__lz0 [T],)>)
where
    T: ::leibniz::Float,
{
    let mut __tape = ::leibniz::__private::TapeBuf::new();
    let __r = norm__lz_fwd(&*x, &mut __tape);
    (__r, ::leibniz::Tape::__new(__tape, (&*x,)))
}
/// One backward sweep over a tape recorded by `_record` of [`norm`]. Emitted by `#[differentiable]`.
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
fn norm_pullback<'__lz0, T: Float>(
    __tape_in: &::leibniz::Tape<(&'__lz0 [T],)>,
    __b0: &mut [T],
    __dout: T,
) -> ()
where
    T: ::leibniz::Float,
{
    let (__buf, __inputs) = __tape_in.__parts();
    let (__in0,) = __inputs;
    norm__lz_bwd(*__in0, &mut *__b0, __dout, &mut __buf.reader());
    ()
}
/// The value and the dense Jacobian `J[out][in]`: outputs are the flattened result then the active `&mut` parameters, inputs the active parameters flattened in order; forward or reverse mode by shape, sweeps in parallel when large of [`norm`]. Emitted by `#[differentiable]`.
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
fn norm_jacobian<T: Float>(x: &[T]) -> (T, ::std::vec::Vec<::std::vec::Vec<T>>)
where
    T: ::leibniz::Float,
{
    #[allow(unused_imports)]
    use ::leibniz::__private::higher::{
        ParSweeps as _, SerSweeps as _, SnapClone as _, SnapNone as _,
    };
    let __lz_r: T = norm(&*x);
    let mut __lz_tmp: ::std::vec::Vec<f64> = ::std::vec::Vec::new();
    ::leibniz::__private::higher::flat_push(
        &mut __lz_tmp,
        &::leibniz::__private::zero_owned::<[T]>(&*x),
    );
    let __lz_n_in = __lz_tmp.len();
    __lz_tmp.clear();
    ::leibniz::__private::higher::flat_push(&mut __lz_tmp, &__lz_r);
    let __lz_n_out = __lz_tmp.len();
    let __lz_vjp = |__lz_w: &[f64]| -> ::std::vec::Vec<f64> {
        let mut __lz_at = 0usize;
        let mut __lz_dout: T = ::leibniz::__private::zero_like(&__lz_r);
        ::leibniz::__private::higher::flat_read(&mut __lz_dout, __lz_w, &mut __lz_at);
        let mut __s0 = ::leibniz::__private::zero_owned::<[T]>(&*x);
        let (_, __lz_a) = norm_vjp(&*x, &mut __s0, __lz_dout);
        let mut __lz_o: ::std::vec::Vec<f64> = ::std::vec::Vec::with_capacity(__lz_n_in);
        ::leibniz::__private::higher::flat_push(&mut __lz_o, &__s0);
        __lz_o
    };
    let __lz_jvpk = |
        __lz_vs: &[::std::vec::Vec<f64>],
    | -> ::std::vec::Vec<::std::vec::Vec<f64>> {
        let mut __lz_at = [0usize; 4usize];
        let mut __v0_0 = ::leibniz::__private::zero_owned::<[T]>(&*x);
        ::leibniz::__private::higher::flat_read(
            &mut __v0_0,
            &__lz_vs[0usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[0usize],
        );
        let mut __v0_1 = ::leibniz::__private::zero_owned::<[T]>(&*x);
        ::leibniz::__private::higher::flat_read(
            &mut __v0_1,
            &__lz_vs[1usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[1usize],
        );
        let mut __v0_2 = ::leibniz::__private::zero_owned::<[T]>(&*x);
        ::leibniz::__private::higher::flat_read(
            &mut __v0_2,
            &__lz_vs[2usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[2usize],
        );
        let mut __v0_3 = ::leibniz::__private::zero_owned::<[T]>(&*x);
        ::leibniz::__private::higher::flat_read(
            &mut __v0_3,
            &__lz_vs[3usize.min(__lz_vs.len() - 1)],
            &mut __lz_at[3usize],
        );
        let (_, __lz_ds) = norm__lz_jvpb(&*x, &__v0_0, &__v0_1, &__v0_2, &__v0_3);
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
    let __lz_j = (&::leibniz::__private::higher::SyncProbe::<(&[T],)>::new())
        .jacobian_k(__lz_n_in, __lz_n_out, 4usize, __lz_jvpk, __lz_vjp);
    (__lz_r, ::leibniz::__private::higher::mat_to::<T>(__lz_j))
}
/// The value, the gradient and the Hessian-vector product `H v` (forward over reverse), directions placed like `_jvp` tangents of [`norm`]. Emitted by `#[differentiable]`.
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
fn norm_hvp<T: Float>(x: &[T], __d0: &[T]) -> (T, ::std::vec::Vec<T>, ::std::vec::Vec<T>)
where
    T: ::leibniz::Float,
{
    let mut __tape = ::leibniz::__private::TapeBuf::new();
    let mut __a0 = ::leibniz::__private::zero_owned::<[T]>(&*x);
    let mut __h0 = ::leibniz::__private::zero_owned::<[T]>(&*x);
    let (__r, _) = norm__lz_fwd_jvp(&*x, &*__d0, &mut __tape);
    let _ = norm__lz_bwd_jvp(
        &*x,
        &*__d0,
        &mut __a0,
        &mut __h0,
        <T as ::leibniz::__private::One>::one(),
        ::leibniz::__private::ZeroTan,
        &mut __tape.reader(),
    );
    (__r, __a0, __h0)
}
/// The value, the gradient and the dense Hessian over the active inputs flattened in parameter order (one HVP per input, in parallel when large) of [`norm`]. Emitted by `#[differentiable]`.
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
fn norm_hessian<T: Float>(
    x: &[T],
) -> (T, ::std::vec::Vec<T>, ::std::vec::Vec<::std::vec::Vec<T>>)
where
    T: ::leibniz::Float,
{
    #[allow(unused_imports)]
    use ::leibniz::__private::higher::{ParSweeps as _, SerSweeps as _};
    let (__lz_r, __lz_g) = norm_grad(&*x);
    let mut __lz_gf: ::std::vec::Vec<f64> = ::std::vec::Vec::new();
    ::leibniz::__private::higher::flat_push(&mut __lz_gf, &__lz_g);
    let __lz_n = __lz_gf.len();
    let __lz_hvp = |__lz_v: &[f64]| -> ::std::vec::Vec<f64> {
        let (_, _, __lz_hv) = norm_hvp(
            &*x,
            &*::leibniz::__private::higher::dir_as::<T>(__lz_v),
        );
        ::leibniz::__private::higher::into_f64::<T>(__lz_hv)
    };
    let __lz_h = (&::leibniz::__private::higher::SyncProbe::<(&[T],)>::new())
        .hessian(__lz_n, __lz_hvp);
    (
        __lz_r,
        ::leibniz::__private::higher::vec_to::<T>(__lz_gf),
        ::leibniz::__private::higher::mat_to::<T>(__lz_h),
    )
}
#[doc(hidden)]
#[allow(non_upper_case_globals, dead_code)]
const norm__lz_cuda: ::leibniz::gpu::DeviceFn = ::leibniz::gpu::DeviceFn::unsupported(
    "norm",
    "`norm` has no CUDA device version: its parameter `x: & [T]` is not a float, integer or boolean passed by value (device functions take scalars)",
);
#[doc(hidden)]
#[allow(non_camel_case_types)]
struct norm__lz_marker;
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
    T: Float,
    __LzS1: ::leibniz::__private::TanRef<[T]>,
    __LzN,
> ::leibniz::__private::registry::RuleJvp<norm__lz_marker, (&'__lzl0 [T], __LzS1), __LzN>
for ::leibniz::__private::registry::Key<4315873112953976271u64>
where
    T: ::leibniz::Float,
{
    type Out = (T, T);
    #[inline(always)]
    fn call((x, __d0): (&'__lzl0 [T], __LzS1)) -> (T, T) {
        norm__lz_jvp(x, __d0)
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
    T: Float,
    __LzN,
> ::leibniz::__private::registry::RuleFwd<
    norm__lz_marker,
    (&'__lzl0 [T], &'__lzl1 mut ::leibniz::__private::TapeBuf),
    __LzN,
> for ::leibniz::__private::registry::Key<4315873112953976271u64>
where
    T: ::leibniz::Float,
{
    type Out = T;
    #[inline(always)]
    fn call(
        (x, __tape): (&'__lzl0 [T], &'__lzl1 mut ::leibniz::__private::TapeBuf),
    ) -> T {
        norm__lz_fwd(x, __tape)
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
    '__lzl2,
    T: Float,
    __LzS1: ::leibniz::__private::ShadowOf<[T]>,
    __LzN,
> ::leibniz::__private::registry::RuleBwd<
    norm__lz_marker,
    (&'__lzl0 [T], __LzS1, T, &'__lzl1 mut ::leibniz::__private::TapeRead<'__lzl2>),
    __LzN,
> for ::leibniz::__private::registry::Key<4315873112953976271u64>
where
    T: ::leibniz::Float,
{
    type Out = ();
    #[inline(always)]
    fn call(
        (
            x,
            __b0,
            __dout,
            __tape,
        ): (
            &'__lzl0 [T],
            __LzS1,
            T,
            &'__lzl1 mut ::leibniz::__private::TapeRead<'__lzl2>,
        ),
    ) -> () {
        norm__lz_bwd(x, __b0, __dout, __tape)
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
    T: Float,
    __LzS1: ::leibniz::__private::TanRef<[T]>,
    __LzN,
> ::leibniz::__private::registry::RuleFwdJvp<
    norm__lz_marker,
    (&'__lzl0 [T], __LzS1, &'__lzl1 mut ::leibniz::__private::TapeBuf),
    __LzN,
> for ::leibniz::__private::registry::Key<4315873112953976271u64>
where
    T: ::leibniz::Float,
{
    type Out = (T, T);
    #[inline(always)]
    fn call(
        (
            x,
            __d0,
            __tape,
        ): (&'__lzl0 [T], __LzS1, &'__lzl1 mut ::leibniz::__private::TapeBuf),
    ) -> (T, T) {
        norm__lz_fwd_jvp(x, __d0, __tape)
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
    '__lzl2,
    T: Float,
    __LzS1: ::leibniz::__private::TanRef<[T]>,
    __LzS2: ::leibniz::__private::ShadowOf<[T]>,
    __LzS3: ::leibniz::__private::ShadowOf<[T]>,
    __LzS5: ::leibniz::__private::TanVal<T>,
    __LzN,
> ::leibniz::__private::registry::RuleBwdJvp<
    norm__lz_marker,
    (
        &'__lzl0 [T],
        __LzS1,
        __LzS2,
        __LzS3,
        T,
        __LzS5,
        &'__lzl1 mut ::leibniz::__private::TapeRead<'__lzl2>,
    ),
    __LzN,
> for ::leibniz::__private::registry::Key<4315873112953976271u64>
where
    T: ::leibniz::Float,
{
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
            &'__lzl0 [T],
            __LzS1,
            __LzS2,
            __LzS3,
            T,
            __LzS5,
            &'__lzl1 mut ::leibniz::__private::TapeRead<'__lzl2>,
        ),
    ) -> ((), ()) {
        norm__lz_bwd_jvp(x, __e0, __b0, __f0, __dout, __ddout, __tape)
    }
}
