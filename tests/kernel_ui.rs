//! Compile-fail cases of `#[kernel]` (trybuild): each error lands on the
//! user's tokens and says what to write instead. Refresh the `.stderr`
//! files after a deliberate change of a message with
//! `TRYBUILD=overwrite cargo test --test kernel_ui` and review the diff.

#[test]
fn kernel_ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/kernel_ui/*.rs");
}
