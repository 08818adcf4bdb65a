#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `write(2)`. The C library's module differs per platform (Glibc on Linux, Darwin on macOS),
/// and types with a `write` method of their own hide the unqualified name: the one place that
/// names the module, for the command line's output and the explorer's terminal.
package func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
  #if canImport(Glibc)
    return Glibc.write(descriptor, buffer, count)
  #else
    return Darwin.write(descriptor, buffer, count)
  #endif
}
