//! What the benchmark binaries share: the generator of realistic (and, on request, messy)
//! Finnish company workbooks, and the process's memory and CPU readings.

pub mod generate;
pub mod memory;
