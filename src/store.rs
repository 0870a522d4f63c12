//! Persistence of annotations, reading position and entity corrections (DESIGN.md §4).
