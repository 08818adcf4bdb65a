import Glibc

/// `write(2)`. Types with a `write` method of their own hide the unqualified name: the one place
/// that names the C library's module, for the command line's output and the explorer's terminal.
package func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
  Glibc.write(descriptor, buffer, count)
}
