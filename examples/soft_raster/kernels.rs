pub fn all_sources() -> Vec<(&'static str, &'static str)> { vec![] }
