internal import CMemory

/// Returns freed heap memory to the system.
enum MemoryTrim {
  /// Hands back the pages of freed memory in every malloc arena. Worth it right after letting
  /// go of a large structure that reading threads built: their arenas keep freed pages mapped.
  static func returnFreePages() { _ = strata_trim_heap() }
}
