//! Error collection: every problem of a function is reported at once, each
//! at the span of the user's own tokens.

use proc_macro2::Span;
use quote::ToTokens;

#[derive(Default)]
pub struct Diag {
    errors: Vec<syn::Error>,
}

impl Diag {
    pub fn at(&mut self, span: Span, msg: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, msg));
    }

    pub fn spanned(&mut self, tokens: &dyn ToTokens, msg: impl std::fmt::Display) {
        self.errors.push(syn::Error::new_spanned(tokens, msg));
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }



    pub fn len(&self) -> usize {
        self.errors.len()
    }

    pub fn into_result(self) -> Result<(), syn::Error> {
        let mut it = self.errors.into_iter();
        match it.next() {
            None => Ok(()),
            Some(mut first) => {
                for e in it {
                    first.combine(e);
                }
                Err(first)
            }
        }
    }
}
