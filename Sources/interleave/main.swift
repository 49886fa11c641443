import InterleaveCLI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

exit(InterleaveCommand.run(Array(CommandLine.arguments.dropFirst())))
