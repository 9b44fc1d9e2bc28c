fn step(y: &[f64], k: f64, out: &mut [f64]) {
    for i in 0..y.len() {
        out[i] = -k * y[i] + spring(y[i], k);
    }
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
fn step__lz_jvp(
    y: &[f64],
    __d0: impl ::leibniz::__private::TanRef<[f64]>,
    k: f64,
    __d1: impl ::leibniz::__private::TanVal<f64>,
    out: &mut [f64],
    __d2: impl ::leibniz::__private::ShadowOf<[f64]>,
) -> ((), ()) {
    let __d0_g = ::leibniz::__private::TanRef::get(&__d0, &*y);
    let __d0 = &*__d0_g;
    let __d1 = ::leibniz::__private::TanVal::get(__d1, &k);
    let mut __d2_g = ::leibniz::__private::ShadowOf::get(
        __d2,
        ::core::option::Option::Some(&*out),
    );
    let __d2 = &mut *__d2_g;
    let __v12: f64 = __d1;
    let __v0: f64 = k;
    let __v1: usize = 0;
    let __v2: usize = (*y).len();
    let __v3: usize = ::leibniz::__private::trip_count(__v1, __v2);
    let __v11: bool = __v1 < __v2;
    if __v11 {
        let __v5: f64 = -__v0;
        let __v13: f64 = -__v12;
        for __v4 in __v1..__v2 {
            let __v4: usize = __v4;
            let __v6: f64 = y[__v4];
            let __v14: f64 = __d0[__v4];
            let __v7: f64 = __v5 * __v6;
            let __v15: f64 = __v6 * __v13;
            let __v16: f64 = __v5 * __v14;
            let __v17: f64 = __v15 + __v16;
            let __v18 = {
                #[allow(non_camel_case_types, dead_code)]
                struct spring {}
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
                #[inline(always)]
                fn spring__lz_jvp<__LzM, __LzA0, __LzA1, __LzA2, __LzA3>(
                    __lza0: __LzA0,
                    __lza1: __LzA1,
                    __lza2: __LzA2,
                    __lza3: __LzA3,
                ) -> <::leibniz::__private::registry::Key<
                    814440220876705804u64,
                > as ::leibniz::__private::registry::RuleJvp<
                    __LzM,
                    (__LzA0, __LzA1, __LzA2, __LzA3),
                    spring,
                >>::Out
                where
                    ::leibniz::__private::registry::Key<
                        814440220876705804u64,
                    >: ::leibniz::__private::registry::RuleJvp<
                        __LzM,
                        (__LzA0, __LzA1, __LzA2, __LzA3),
                        spring,
                    >,
                {
                    <::leibniz::__private::registry::Key<
                        814440220876705804u64,
                    > as ::leibniz::__private::registry::RuleJvp<
                        __LzM,
                        (__LzA0, __LzA1, __LzA2, __LzA3),
                        spring,
                    >>::call((__lza0, __lza1, __lza2, __lza3))
                }
                let __lzt0 = __v6;
                let __lzt1 = __v14;
                let __lzt2 = __v0;
                let __lzt3 = __v12;
                {
                    #[allow(unused_imports)]
                    use self::*;
                    spring__lz_jvp(__lzt0, __lzt1, __lzt2, __lzt3)
                }
            };
            let __v9: f64 = ::core::clone::Clone::clone(&__v18.0);
            let __v19: f64 = ::core::clone::Clone::clone(&__v18.1);
            let __v10: f64 = __v7 + __v9;
            let __v20: f64 = __v17 + __v19;
            out[__v4] = __v10;
            __d2[__v4] = __v20;
        }
    } else {}
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
fn step__lz_fwd(
    y: &[f64],
    k: f64,
    out: &mut [f64],
    __tape: &mut ::leibniz::__private::TapeBuf,
) -> () {
    let __v0: f64 = k;
    let __v1: usize = 0;
    let __v2: usize = (*y).len();
    let __v3: usize = ::leibniz::__private::trip_count(__v1, __v2);
    let __v11: bool = __v1 < __v2;
    if __v11 {
        let __v5: f64 = -__v0;
        for __v4 in __v1..__v2 {
            let __v4: usize = __v4;
            let __v6: f64 = y[__v4];
            let __v7: f64 = __v5 * __v6;
            let __v9: f64 = {
                #[allow(non_camel_case_types, dead_code)]
                struct spring {}
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
                #[inline(always)]
                fn spring__lz_fwd<__LzM, __LzA0, __LzA1, __LzA2>(
                    __lza0: __LzA0,
                    __lza1: __LzA1,
                    __lza2: __LzA2,
                ) -> <::leibniz::__private::registry::Key<
                    814440220876705804u64,
                > as ::leibniz::__private::registry::RuleFwd<
                    __LzM,
                    (__LzA0, __LzA1, __LzA2),
                    spring,
                >>::Out
                where
                    ::leibniz::__private::registry::Key<
                        814440220876705804u64,
                    >: ::leibniz::__private::registry::RuleFwd<
                        __LzM,
                        (__LzA0, __LzA1, __LzA2),
                        spring,
                    >,
                {
                    <::leibniz::__private::registry::Key<
                        814440220876705804u64,
                    > as ::leibniz::__private::registry::RuleFwd<
                        __LzM,
                        (__LzA0, __LzA1, __LzA2),
                        spring,
                    >>::call((__lza0, __lza1, __lza2))
                }
                let __lzt0 = __v6;
                let __lzt1 = __v0;
                let __lzt2 = &mut *__tape;
                {
                    #[allow(unused_imports)]
                    use self::*;
                    spring__lz_fwd(__lzt0, __lzt1, __lzt2)
                }
            };
            let __v10: f64 = __v7 + __v9;
            out[__v4] = __v10;
        }
    } else {}
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
fn step__lz_bwd(
    y: &[f64],
    __b0: impl ::leibniz::__private::ShadowOf<[f64]>,
    k: f64,
    __b1: impl ::leibniz::__private::ShadowOf<f64>,
    __p2: impl ::core::marker::Sized,
    __b2: impl ::leibniz::__private::ShadowOf<[f64]>,
    __dout: (),
    __tape: &mut ::leibniz::__private::TapeRead<'_>,
) -> () {
    let mut __b0_g = ::leibniz::__private::ShadowOf::get(
        __b0,
        ::core::option::Option::Some(&*y),
    );
    let __b0 = &mut *__b0_g;
    let mut __b1_g = ::leibniz::__private::ShadowOf::get(
        __b1,
        ::core::option::Option::Some(&k),
    );
    let __b1 = &mut *__b1_g;
    let mut __b2_g = ::leibniz::__private::ShadowOf::get(
        __b2,
        ::core::option::Option::None,
    );
    let __b2 = &mut *__b2_g;
    let __v0: f64 = k;
    let __v1: usize = 0;
    let __v2: usize = (*y).len();
    let __v11: bool = __v1 < __v2;
    if __v11 {
        let __v5: f64 = -__v0;
        let mut __x5_b13: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        for __v4 in (__v1..__v2).rev() {
            let __v4: usize = __v4;
            let __v6: f64 = y[__v4];
            let mut __x6_b14: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x7_b15: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x8_b16: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x9_b17: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x10_b19: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x11_b20: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let __v21: f64 = __b2[__v4];
            let __v22: f64 = <f64 as ::leibniz::__private::Zero>::zero();
            __b2[__v4] = __v22;
            __x11_b20 = __x11_b20 + __v21;
            let __v23: f64 = __x11_b20;
            __x9_b17 = __x9_b17 + __v23;
            __x10_b19 = __x10_b19 + __v23;
            let __v24: f64 = __x10_b19;
            let __v25 = ::leibniz::__private::TapePop::with_reader(
                &mut *__tape,
                |__lz_rd| {
                    #[allow(non_camel_case_types, dead_code)]
                    struct spring {}
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
                    #[inline(always)]
                    fn spring__lz_bwd<
                        __LzM,
                        __LzA0,
                        __LzA1,
                        __LzA2,
                        __LzA3,
                        __LzA4,
                        __LzA5,
                    >(
                        __lza0: __LzA0,
                        __lza1: __LzA1,
                        __lza2: __LzA2,
                        __lza3: __LzA3,
                        __lza4: __LzA4,
                        __lza5: __LzA5,
                    ) -> <::leibniz::__private::registry::Key<
                        814440220876705804u64,
                    > as ::leibniz::__private::registry::RuleBwd<
                        __LzM,
                        (__LzA0, __LzA1, __LzA2, __LzA3, __LzA4, __LzA5),
                        spring,
                    >>::Out
                    where
                        ::leibniz::__private::registry::Key<
                            814440220876705804u64,
                        >: ::leibniz::__private::registry::RuleBwd<
                            __LzM,
                            (__LzA0, __LzA1, __LzA2, __LzA3, __LzA4, __LzA5),
                            spring,
                        >,
                    {
                        <::leibniz::__private::registry::Key<
                            814440220876705804u64,
                        > as ::leibniz::__private::registry::RuleBwd<
                            __LzM,
                            (__LzA0, __LzA1, __LzA2, __LzA3, __LzA4, __LzA5),
                            spring,
                        >>::call((__lza0, __lza1, __lza2, __lza3, __lza4, __lza5))
                    }
                    let __lzt0 = __v6;
                    let __lzt1 = &mut __x6_b14;
                    let __lzt2 = __v0;
                    let __lzt3 = &mut (*__b1);
                    let __lzt4 = __v24;
                    let __lzt5 = &mut *__lz_rd;
                    {
                        #[allow(unused_imports)]
                        use self::*;
                        spring__lz_bwd(__lzt0, __lzt1, __lzt2, __lzt3, __lzt4, __lzt5)
                    }
                },
            );
            let __v26: f64 = __x9_b17;
            __x7_b15 = __x7_b15 + __v26;
            __x8_b16 = __x8_b16 + __v26;
            let __v27: f64 = __x8_b16;
            let __v28: f64 = __v5 * __v27;
            __x6_b14 = __x6_b14 + __v28;
            let __v29: f64 = __x7_b15;
            let __v30: f64 = __v6 * __v29;
            __x5_b13 = __x5_b13 + __v30;
            let __v31: f64 = __x6_b14;
            __b0[__v4] = __b0[__v4] + __v31;
        }
        let __v32: f64 = __x5_b13;
        let __v33: f64 = -__v32;
        (*__b1) = (*__b1) + __v33;
    } else {}
    let __v34: f64 = (*__b1);
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
fn step__lz_fwd_jvp(
    y: &[f64],
    __d0: impl ::leibniz::__private::TanRef<[f64]>,
    k: f64,
    __d1: impl ::leibniz::__private::TanVal<f64>,
    out: &mut [f64],
    __d2: impl ::leibniz::__private::ShadowOf<[f64]>,
    __tape: &mut ::leibniz::__private::TapeBuf,
) -> ((), ()) {
    let __d0_g = ::leibniz::__private::TanRef::get(&__d0, &*y);
    let __d0 = &*__d0_g;
    let __d1 = ::leibniz::__private::TanVal::get(__d1, &k);
    let mut __d2_g = ::leibniz::__private::ShadowOf::get(
        __d2,
        ::core::option::Option::Some(&*out),
    );
    let __d2 = &mut *__d2_g;
    let __v21: f64 = __d1;
    let __v0: f64 = k;
    let __v1: usize = 0;
    let __v2: usize = (*y).len();
    let __v3: usize = ::leibniz::__private::trip_count(__v1, __v2);
    let __v11: bool = __v1 < __v2;
    if __v11 {
        let __v5: f64 = -__v0;
        let __v22: f64 = -__v21;
        for __v4 in __v1..__v2 {
            let __v4: usize = __v4;
            let __v6: f64 = y[__v4];
            let __v23: f64 = __d0[__v4];
            let __v7: f64 = __v5 * __v6;
            let __v24: f64 = __v6 * __v22;
            let __v25: f64 = __v5 * __v23;
            let __v26: f64 = __v24 + __v25;
            let __v27 = {
                #[allow(non_camel_case_types, dead_code)]
                struct spring {}
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
                #[inline(always)]
                fn spring__lz_fwd_jvp<__LzM, __LzA0, __LzA1, __LzA2, __LzA3, __LzA4>(
                    __lza0: __LzA0,
                    __lza1: __LzA1,
                    __lza2: __LzA2,
                    __lza3: __LzA3,
                    __lza4: __LzA4,
                ) -> <::leibniz::__private::registry::Key<
                    814440220876705804u64,
                > as ::leibniz::__private::registry::RuleFwdJvp<
                    __LzM,
                    (__LzA0, __LzA1, __LzA2, __LzA3, __LzA4),
                    spring,
                >>::Out
                where
                    ::leibniz::__private::registry::Key<
                        814440220876705804u64,
                    >: ::leibniz::__private::registry::RuleFwdJvp<
                        __LzM,
                        (__LzA0, __LzA1, __LzA2, __LzA3, __LzA4),
                        spring,
                    >,
                {
                    <::leibniz::__private::registry::Key<
                        814440220876705804u64,
                    > as ::leibniz::__private::registry::RuleFwdJvp<
                        __LzM,
                        (__LzA0, __LzA1, __LzA2, __LzA3, __LzA4),
                        spring,
                    >>::call((__lza0, __lza1, __lza2, __lza3, __lza4))
                }
                let __lzt0 = __v6;
                let __lzt1 = __v23;
                let __lzt2 = __v0;
                let __lzt3 = __v21;
                let __lzt4 = &mut *__tape;
                {
                    #[allow(unused_imports)]
                    use self::*;
                    spring__lz_fwd_jvp(__lzt0, __lzt1, __lzt2, __lzt3, __lzt4)
                }
            };
            let __v9: f64 = ::core::clone::Clone::clone(&__v27.0);
            let __v28: f64 = ::core::clone::Clone::clone(&__v27.1);
            let __v10: f64 = __v7 + __v9;
            let __v29: f64 = __v26 + __v28;
            out[__v4] = __v10;
            __d2[__v4] = __v29;
        }
    } else {}
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
fn step__lz_bwd_jvp(
    y: &[f64],
    __e0: impl ::leibniz::__private::TanRef<[f64]>,
    __b0: impl ::leibniz::__private::ShadowOf<[f64]>,
    __f0: impl ::leibniz::__private::ShadowOf<[f64]>,
    k: f64,
    __e1: impl ::leibniz::__private::TanVal<f64>,
    __b1: impl ::leibniz::__private::ShadowOf<f64>,
    __f1: impl ::leibniz::__private::ShadowOf<f64>,
    __p2: impl ::core::marker::Sized,
    __e2: impl ::core::marker::Sized,
    __b2: impl ::leibniz::__private::ShadowOf<[f64]>,
    __f2: impl ::leibniz::__private::ShadowOf<[f64]>,
    __dout: (),
    __ddout: impl ::leibniz::__private::TanVal<()>,
    __tape: &mut ::leibniz::__private::TapeRead<'_>,
) -> ((), ()) {
    let __e0_g = ::leibniz::__private::TanRef::get(&__e0, &*y);
    let __e0 = &*__e0_g;
    let mut __b0_g = ::leibniz::__private::ShadowOf::get(
        __b0,
        ::core::option::Option::Some(&*y),
    );
    let __b0 = &mut *__b0_g;
    let mut __f0_g = ::leibniz::__private::ShadowOf::get(
        __f0,
        ::core::option::Option::Some(&*__b0),
    );
    let __f0 = &mut *__f0_g;
    let __e1 = ::leibniz::__private::TanVal::get(__e1, &k);
    let mut __b1_g = ::leibniz::__private::ShadowOf::get(
        __b1,
        ::core::option::Option::Some(&k),
    );
    let __b1 = &mut *__b1_g;
    let mut __f1_g = ::leibniz::__private::ShadowOf::get(
        __f1,
        ::core::option::Option::Some(&*__b1),
    );
    let __f1 = &mut *__f1_g;
    let mut __b2_g = ::leibniz::__private::ShadowOf::get(
        __b2,
        ::core::option::Option::None,
    );
    let __b2 = &mut *__b2_g;
    let mut __f2_g = ::leibniz::__private::ShadowOf::get(
        __f2,
        ::core::option::Option::Some(&*__b2),
    );
    let __f2 = &mut *__f2_g;
    let __ddout = ::leibniz::__private::TanVal::get(__ddout, &__dout);
    let __v35: f64 = __e1;
    let __v0: f64 = k;
    let __v1: usize = 0;
    let __v2: usize = (*y).len();
    let __v11: bool = __v1 < __v2;
    if __v11 {
        let __v5: f64 = -__v0;
        let __v36: f64 = -__v35;
        let mut __x5_b13: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        let mut __x16_db13: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
        for __v4 in (__v1..__v2).rev() {
            let __v4: usize = __v4;
            let __v6: f64 = y[__v4];
            let __v37: f64 = __e0[__v4];
            let mut __x6_b14: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x17_db14: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x7_b15: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x18_db15: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x8_b16: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x19_db16: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x9_b17: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x20_db17: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x10_b19: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x21_db19: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x11_b20: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let mut __x22_db20: f64 = -<f64 as ::leibniz::__private::Zero>::zero();
            let __v21: f64 = __b2[__v4];
            let __v38: f64 = __f2[__v4];
            let __v22: f64 = <f64 as ::leibniz::__private::Zero>::zero();
            __b2[__v4] = __v22;
            let __v39: f64 = <f64 as ::leibniz::__private::Zero>::zero();
            __f2[__v4] = __v39;
            __x11_b20 = __x11_b20 + __v21;
            __x22_db20 = __x22_db20 + __v38;
            let __v23: f64 = __x11_b20;
            let __v40: f64 = __x22_db20;
            __x9_b17 = __x9_b17 + __v23;
            __x20_db17 = __x20_db17 + __v40;
            __x10_b19 = __x10_b19 + __v23;
            __x21_db19 = __x21_db19 + __v40;
            let __v24: f64 = __x10_b19;
            let __v41: f64 = __x21_db19;
            let __v42 = ::leibniz::__private::TapePop::with_reader(
                &mut *__tape,
                |__lz_rd| {
                    #[allow(non_camel_case_types, dead_code)]
                    struct spring {}
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
                    #[inline(always)]
                    fn spring__lz_bwd_jvp<
                        __LzM,
                        __LzA0,
                        __LzA1,
                        __LzA2,
                        __LzA3,
                        __LzA4,
                        __LzA5,
                        __LzA6,
                        __LzA7,
                        __LzA8,
                        __LzA9,
                        __LzA10,
                    >(
                        __lza0: __LzA0,
                        __lza1: __LzA1,
                        __lza2: __LzA2,
                        __lza3: __LzA3,
                        __lza4: __LzA4,
                        __lza5: __LzA5,
                        __lza6: __LzA6,
                        __lza7: __LzA7,
                        __lza8: __LzA8,
                        __lza9: __LzA9,
                        __lza10: __LzA10,
                    ) -> <::leibniz::__private::registry::Key<
                        814440220876705804u64,
                    > as ::leibniz::__private::registry::RuleBwdJvp<
                        __LzM,
                        (
                            __LzA0,
                            __LzA1,
                            __LzA2,
                            __LzA3,
                            __LzA4,
                            __LzA5,
                            __LzA6,
                            __LzA7,
                            __LzA8,
                            __LzA9,
                            __LzA10,
                        ),
                        spring,
                    >>::Out
                    where
                        ::leibniz::__private::registry::Key<
                            814440220876705804u64,
                        >: ::leibniz::__private::registry::RuleBwdJvp<
                            __LzM,
                            (
                                __LzA0,
                                __LzA1,
                                __LzA2,
                                __LzA3,
                                __LzA4,
                                __LzA5,
                                __LzA6,
                                __LzA7,
                                __LzA8,
                                __LzA9,
                                __LzA10,
                            ),
                            spring,
                        >,
                    {
                        <::leibniz::__private::registry::Key<
                            814440220876705804u64,
                        > as ::leibniz::__private::registry::RuleBwdJvp<
                            __LzM,
                            (
                                __LzA0,
                                __LzA1,
                                __LzA2,
                                __LzA3,
                                __LzA4,
                                __LzA5,
                                __LzA6,
                                __LzA7,
                                __LzA8,
                                __LzA9,
                                __LzA10,
                            ),
                            spring,
                        >>::call((
                            __lza0,
                            __lza1,
                            __lza2,
                            __lza3,
                            __lza4,
                            __lza5,
                            __lza6,
                            __lza7,
                            __lza8,
                            __lza9,
                            __lza10,
                        ))
                    }
                    let __lzt0 = __v6;
                    let __lzt1 = __v37;
                    let __lzt2 = &mut __x6_b14;
                    let __lzt3 = &mut __x17_db14;
                    let __lzt4 = __v0;
                    let __lzt5 = __v35;
                    let __lzt6 = &mut (*__b1);
                    let __lzt7 = &mut (*__f1);
                    let __lzt8 = __v24;
                    let __lzt9 = __v41;
                    let __lzt10 = &mut *__lz_rd;
                    {
                        #[allow(unused_imports)]
                        use self::*;
                        spring__lz_bwd_jvp(
                            __lzt0,
                            __lzt1,
                            __lzt2,
                            __lzt3,
                            __lzt4,
                            __lzt5,
                            __lzt6,
                            __lzt7,
                            __lzt8,
                            __lzt9,
                            __lzt10,
                        )
                    }
                },
            );
            let __v25 = ::core::clone::Clone::clone(&__v42.0);
            let __v43 = ::core::clone::Clone::clone(&__v42.1);
            let __v26: f64 = __x9_b17;
            let __v44: f64 = __x20_db17;
            __x7_b15 = __x7_b15 + __v26;
            __x18_db15 = __x18_db15 + __v44;
            __x8_b16 = __x8_b16 + __v26;
            __x19_db16 = __x19_db16 + __v44;
            let __v27: f64 = __x8_b16;
            let __v45: f64 = __x19_db16;
            let __v28: f64 = __v5 * __v27;
            let __v46: f64 = __v27 * __v36;
            let __v47: f64 = __v5 * __v45;
            let __v48: f64 = __v46 + __v47;
            __x6_b14 = __x6_b14 + __v28;
            __x17_db14 = __x17_db14 + __v48;
            let __v29: f64 = __x7_b15;
            let __v49: f64 = __x18_db15;
            let __v30: f64 = __v6 * __v29;
            let __v50: f64 = __v29 * __v37;
            let __v51: f64 = __v6 * __v49;
            let __v52: f64 = __v50 + __v51;
            __x5_b13 = __x5_b13 + __v30;
            __x16_db13 = __x16_db13 + __v52;
            let __v31: f64 = __x6_b14;
            let __v53: f64 = __x17_db14;
            __b0[__v4] = __b0[__v4] + __v31;
            __f0[__v4] = __f0[__v4] + __v53;
        }
        let __v32: f64 = __x5_b13;
        let __v54: f64 = __x16_db13;
        let __v33: f64 = -__v32;
        let __v55: f64 = -__v54;
        (*__b1) = (*__b1) + __v33;
        (*__f1) = (*__f1) + __v55;
    } else {}
    let __v34: f64 = (*__b1);
    ((), ())
}
/// Forward mode (JVP): the tangents of the `&mut` parameters are the output of [`step`]. Emitted by `#[differentiable]`.
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
fn step_jvp(
    y: &[f64],
    __d0: &[f64],
    k: f64,
    __d1: f64,
    out: &mut [f64],
    __d2: &mut [f64],
) -> () {
    let _ = step__lz_jvp(&*y, __d0, k, __d1, &mut *out, __d2);
}
/// Reverse mode (VJP): the value, shadows receive `+=` the adjoints of the by-reference parameters, the adjoints of the by-value ones are returned of [`step`]. Emitted by `#[differentiable]`.
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
fn step_vjp(
    y: &[f64],
    __b0: &mut [f64],
    k: f64,
    out: &mut [f64],
    __b2: &mut [f64],
) -> f64 {
    let mut __tape = ::leibniz::__private::TapeBuf::new();
    let mut __a1 = ::leibniz::__private::zero_like(&k);
    let __r = step__lz_fwd(&*y, ::core::clone::Clone::clone(&k), &mut *out, &mut __tape);
    step__lz_bwd(
        &*y,
        &mut *__b0,
        k,
        &mut __a1,
        ::leibniz::__private::ZeroTan,
        &mut *__b2,
        (),
        &mut __tape.reader(),
    );
    __a1
}
/// Runs the forward sweep once and keeps the tape; pull back cotangents with `_pullback` of [`step`]. Emitted by `#[differentiable]`.
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
fn step_record<'__lz0, '__lz2>(
    y: &'__lz0 [f64],
    k: f64,
    out: &'__lz2 mut [f64],
) -> ((), ::leibniz::Tape<(&'__lz0 [f64], f64)>) {
    let mut __tape = ::leibniz::__private::TapeBuf::new();
    let __r = step__lz_fwd(&*y, ::core::clone::Clone::clone(&k), &mut *out, &mut __tape);
    (__r, ::leibniz::Tape::__new(__tape, (&*y, k)))
}
/// One backward sweep over a tape recorded by `_record` of [`step`]. Emitted by `#[differentiable]`.
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
fn step_pullback<'__lz0, '__lz2>(
    __tape_in: &::leibniz::Tape<(&'__lz0 [f64], f64)>,
    __b0: &mut [f64],
    __b2: &mut [f64],
) -> f64 {
    let (__buf, __inputs) = __tape_in.__parts();
    let (__in0, __in1) = __inputs;
    let mut __a1 = ::leibniz::__private::zero_like(__in1);
    step__lz_bwd(
        *__in0,
        &mut *__b0,
        ::core::clone::Clone::clone(__in1),
        &mut __a1,
        ::leibniz::__private::ZeroTan,
        &mut *__b2,
        (),
        &mut __buf.reader(),
    );
    __a1
}
/// The value and the dense Jacobian `J[out][in]`: outputs are the flattened result then the active `&mut` parameters, inputs the active parameters flattened in order; forward or reverse mode by shape, sweeps in parallel when large of [`step`]. Emitted by `#[differentiable]`.
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
fn step_jacobian(
    y: &[f64],
    k: f64,
    out: &mut [f64],
) -> ((), ::std::vec::Vec<::std::vec::Vec<f64>>) {
    #[allow(unused_imports)]
    use ::leibniz::__private::higher::{
        ParSweeps as _, SerSweeps as _, SnapClone as _, SnapNone as _,
    };
    let __m2 = ::leibniz::__private::to_owned::<[f64]>(&*out);
    let __lz_r: () = step(&*y, ::core::clone::Clone::clone(&k), &mut *out);
    let mut __lz_tmp: ::std::vec::Vec<f64> = ::std::vec::Vec::new();
    ::leibniz::__private::higher::flat_push(
        &mut __lz_tmp,
        &::leibniz::__private::zero_owned::<[f64]>(&*y),
    );
    ::leibniz::__private::higher::flat_push(
        &mut __lz_tmp,
        &::leibniz::__private::zero_like(&k),
    );
    ::leibniz::__private::higher::flat_push(
        &mut __lz_tmp,
        &::leibniz::__private::zero_owned::<[f64]>(&__m2),
    );
    let __lz_n_in = __lz_tmp.len();
    __lz_tmp.clear();
    ::leibniz::__private::higher::flat_push(&mut __lz_tmp, &__lz_r);
    ::leibniz::__private::higher::flat_push(&mut __lz_tmp, &*out);
    let __lz_n_out = __lz_tmp.len();
    let __lz_jvp = |__lz_v: &[f64]| -> ::std::vec::Vec<f64> {
        let mut __lz_at = 0usize;
        let mut __v0 = ::leibniz::__private::zero_owned::<[f64]>(&*y);
        ::leibniz::__private::higher::flat_read(&mut __v0, __lz_v, &mut __lz_at);
        let mut __v1 = ::leibniz::__private::zero_like(&k);
        ::leibniz::__private::higher::flat_read(&mut __v1, __lz_v, &mut __lz_at);
        let mut __c2 = ::core::clone::Clone::clone(&__m2);
        let mut __v2 = ::leibniz::__private::zero_owned::<[f64]>(&__m2);
        ::leibniz::__private::higher::flat_read(&mut __v2, __lz_v, &mut __lz_at);
        step_jvp(
            &*y,
            &__v0,
            ::core::clone::Clone::clone(&k),
            __v1,
            &mut __c2,
            &mut __v2,
        );
        let __lz_dr = ();
        let mut __lz_o: ::std::vec::Vec<f64> = ::std::vec::Vec::with_capacity(
            __lz_n_out,
        );
        ::leibniz::__private::higher::flat_push(&mut __lz_o, &__lz_dr);
        ::leibniz::__private::higher::flat_push(&mut __lz_o, &__v2);
        __lz_o
    };
    let __lz_vjp = |__lz_w: &[f64]| -> ::std::vec::Vec<f64> {
        let mut __lz_at = 0usize;
        let mut __lz_dout: () = ::leibniz::__private::zero_like(&__lz_r);
        ::leibniz::__private::higher::flat_read(&mut __lz_dout, __lz_w, &mut __lz_at);
        let mut __s0 = ::leibniz::__private::zero_owned::<[f64]>(&*y);
        let mut __c2 = ::core::clone::Clone::clone(&__m2);
        let mut __s2 = ::leibniz::__private::zero_owned::<[f64]>(&__m2);
        ::leibniz::__private::higher::flat_read(&mut __s2, __lz_w, &mut __lz_at);
        let __lz_a = step_vjp(
            &*y,
            &mut __s0,
            ::core::clone::Clone::clone(&k),
            &mut __c2,
            &mut __s2,
        );
        let mut __lz_o: ::std::vec::Vec<f64> = ::std::vec::Vec::with_capacity(__lz_n_in);
        ::leibniz::__private::higher::flat_push(&mut __lz_o, &__s0);
        ::leibniz::__private::higher::flat_push(&mut __lz_o, &__lz_a);
        ::leibniz::__private::higher::flat_push(&mut __lz_o, &__s2);
        __lz_o
    };
    let __lz_j = (&::leibniz::__private::higher::SyncProbe::<
        (&[f64], f64, &mut [f64]),
    >::new())
        .jacobian(__lz_n_in, __lz_n_out, __lz_jvp, __lz_vjp);
    (__lz_r, ::leibniz::__private::higher::mat_to::<f64>(__lz_j))
}
#[doc(hidden)]
#[allow(non_upper_case_globals, dead_code)]
const step__lz_cuda: ::leibniz::gpu::DeviceFn = ::leibniz::gpu::DeviceFn::unsupported(
    "step",
    "`step` has no CUDA device version: its result is not a float (device functions return one float)",
);
#[doc(hidden)]
#[allow(non_camel_case_types)]
struct step__lz_marker;
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
    __LzS3: ::leibniz::__private::TanVal<f64>,
    __LzS4: ::core::convert::AsMut<[f64]>,
    __LzS5: ::leibniz::__private::ShadowOf<[f64]>,
    __LzN,
> ::leibniz::__private::registry::RuleJvp<
    step__lz_marker,
    (__LzS0, __LzS1, f64, __LzS3, __LzS4, __LzS5),
    __LzN,
> for ::leibniz::__private::registry::Key<12613261051159514351u64> {
    type Out = ((), ());
    #[inline(always)]
    fn call(
        (y, __d0, k, __d1, mut out, __d2): (__LzS0, __LzS1, f64, __LzS3, __LzS4, __LzS5),
    ) -> ((), ()) {
        step__lz_jvp(
            ::core::convert::AsRef::<[f64]>::as_ref(&y),
            __d0,
            k,
            __d1,
            ::core::convert::AsMut::<[f64]>::as_mut(&mut out),
            __d2,
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
    __LzS2: ::core::convert::AsMut<[f64]>,
    __LzN,
> ::leibniz::__private::registry::RuleFwd<
    step__lz_marker,
    (__LzS0, f64, __LzS2, &'__lzl0 mut ::leibniz::__private::TapeBuf),
    __LzN,
> for ::leibniz::__private::registry::Key<12613261051159514351u64> {
    type Out = ();
    #[inline(always)]
    fn call(
        (
            y,
            k,
            mut out,
            __tape,
        ): (__LzS0, f64, __LzS2, &'__lzl0 mut ::leibniz::__private::TapeBuf),
    ) -> () {
        step__lz_fwd(
            ::core::convert::AsRef::<[f64]>::as_ref(&y),
            k,
            ::core::convert::AsMut::<[f64]>::as_mut(&mut out),
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
    '__lzl1,
    __LzS0: ::core::convert::AsRef<[f64]>,
    __LzS1: ::leibniz::__private::ShadowOf<[f64]>,
    __LzS3: ::leibniz::__private::ShadowOf<f64>,
    __LzS4: ::core::marker::Sized,
    __LzS5: ::leibniz::__private::ShadowOf<[f64]>,
    __LzN,
> ::leibniz::__private::registry::RuleBwd<
    step__lz_marker,
    (
        __LzS0,
        __LzS1,
        f64,
        __LzS3,
        __LzS4,
        __LzS5,
        (),
        &'__lzl0 mut ::leibniz::__private::TapeRead<'__lzl1>,
    ),
    __LzN,
> for ::leibniz::__private::registry::Key<12613261051159514351u64> {
    type Out = ();
    #[inline(always)]
    fn call(
        (
            y,
            __b0,
            k,
            __b1,
            __p2,
            __b2,
            __dout,
            __tape,
        ): (
            __LzS0,
            __LzS1,
            f64,
            __LzS3,
            __LzS4,
            __LzS5,
            (),
            &'__lzl0 mut ::leibniz::__private::TapeRead<'__lzl1>,
        ),
    ) -> () {
        step__lz_bwd(
            ::core::convert::AsRef::<[f64]>::as_ref(&y),
            __b0,
            k,
            __b1,
            __p2,
            __b2,
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
    __LzS3: ::leibniz::__private::TanVal<f64>,
    __LzS4: ::core::convert::AsMut<[f64]>,
    __LzS5: ::leibniz::__private::ShadowOf<[f64]>,
    __LzN,
> ::leibniz::__private::registry::RuleFwdJvp<
    step__lz_marker,
    (
        __LzS0,
        __LzS1,
        f64,
        __LzS3,
        __LzS4,
        __LzS5,
        &'__lzl0 mut ::leibniz::__private::TapeBuf,
    ),
    __LzN,
> for ::leibniz::__private::registry::Key<12613261051159514351u64> {
    type Out = ((), ());
    #[inline(always)]
    fn call(
        (
            y,
            __d0,
            k,
            __d1,
            mut out,
            __d2,
            __tape,
        ): (
            __LzS0,
            __LzS1,
            f64,
            __LzS3,
            __LzS4,
            __LzS5,
            &'__lzl0 mut ::leibniz::__private::TapeBuf,
        ),
    ) -> ((), ()) {
        step__lz_fwd_jvp(
            ::core::convert::AsRef::<[f64]>::as_ref(&y),
            __d0,
            k,
            __d1,
            ::core::convert::AsMut::<[f64]>::as_mut(&mut out),
            __d2,
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
    '__lzl1,
    __LzS0: ::core::convert::AsRef<[f64]>,
    __LzS1: ::leibniz::__private::TanRef<[f64]>,
    __LzS2: ::leibniz::__private::ShadowOf<[f64]>,
    __LzS3: ::leibniz::__private::ShadowOf<[f64]>,
    __LzS5: ::leibniz::__private::TanVal<f64>,
    __LzS6: ::leibniz::__private::ShadowOf<f64>,
    __LzS7: ::leibniz::__private::ShadowOf<f64>,
    __LzS8: ::core::marker::Sized,
    __LzS9: ::core::marker::Sized,
    __LzS10: ::leibniz::__private::ShadowOf<[f64]>,
    __LzS11: ::leibniz::__private::ShadowOf<[f64]>,
    __LzS13: ::leibniz::__private::TanVal<()>,
    __LzN,
> ::leibniz::__private::registry::RuleBwdJvp<
    step__lz_marker,
    (
        __LzS0,
        __LzS1,
        __LzS2,
        __LzS3,
        f64,
        __LzS5,
        __LzS6,
        __LzS7,
        __LzS8,
        __LzS9,
        __LzS10,
        __LzS11,
        (),
        __LzS13,
        &'__lzl0 mut ::leibniz::__private::TapeRead<'__lzl1>,
    ),
    __LzN,
> for ::leibniz::__private::registry::Key<12613261051159514351u64> {
    type Out = ((), ());
    #[inline(always)]
    fn call(
        (
            y,
            __e0,
            __b0,
            __f0,
            k,
            __e1,
            __b1,
            __f1,
            __p2,
            __e2,
            __b2,
            __f2,
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
            __LzS6,
            __LzS7,
            __LzS8,
            __LzS9,
            __LzS10,
            __LzS11,
            (),
            __LzS13,
            &'__lzl0 mut ::leibniz::__private::TapeRead<'__lzl1>,
        ),
    ) -> ((), ()) {
        step__lz_bwd_jvp(
            ::core::convert::AsRef::<[f64]>::as_ref(&y),
            __e0,
            __b0,
            __f0,
            k,
            __e1,
            __b1,
            __f1,
            __p2,
            __e2,
            __b2,
            __f2,
            __dout,
            __ddout,
            __tape,
        )
    }
}
