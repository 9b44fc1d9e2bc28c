//! GPU support of leibniz (placeholder; being written).
