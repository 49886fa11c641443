#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// ``activeProcessorCount()``, computed once.
let processorCount = activeProcessorCount()

/// The number of processor cores this process may use: the online cores, lowered by a Linux
/// control group's CPU quota (`cpu.max`, or `cpu.cfs_quota_us` / `cpu.cfs_period_us`) and CPU
/// set (`cpuset.cpus`) where they are set, as Foundation's `activeProcessorCount` does, without
/// linking Foundation.
func activeProcessorCount() -> Int {
  var count = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
  if count < 1 { count = 1 }
  #if os(Linux)
    if let limit = cgroupQuota(), limit < count { count = limit }
    if let cpus = readSmallFile("/sys/fs/cgroup/cpuset/cpuset.cpus").flatMap(cpuListCount), cpus > 0, cpus < count {
      count = cpus
    }
  #endif
  return max(1, count)
}

#if os(Linux)
  /// Cores allowed by a CPU quota, rounded up; nil when there is no quota.
  private func cgroupQuota() -> Int? {
    func cores(_ quota: Int, _ period: Int) -> Int? {
      guard quota > 0, period > 0 else { return nil }
      return max(1, (quota + period - 1) / period)
    }
    // cgroup v2: "max 100000" or "200000 100000".
    if let line = readSmallFile("/sys/fs/cgroup/cpu.max") {
      let fields = line.split(separator: " ")
      if fields.count == 2, let quota = Int(fields[0]), let period = Int(fields[1]) { return cores(quota, period) }
      return nil
    }
    // cgroup v1: a quota of -1 means none.
    if let quota = readSmallFile("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").flatMap({ Int($0) }),
      let period = readSmallFile("/sys/fs/cgroup/cpu/cpu.cfs_period_us").flatMap({ Int($0) })
    {
      return cores(quota, period)
    }
    return nil
  }

  /// The number of CPUs in a list such as `0-3,8,10-11`; nil if it does not parse.
  private func cpuListCount(_ list: String) -> Int? {
    var total = 0
    for item in list.split(separator: ",") {
      let bounds = item.split(separator: "-")
      guard let first = bounds.first.flatMap({ Int($0) }) else { return nil }
      let last = bounds.count == 2 ? Int(bounds[1]) : (bounds.count == 1 ? first : nil)
      guard let last, last >= first else { return nil }
      total += last - first + 1
    }
    return total
  }

  /// The first line of a small file without its newline, or nil if it cannot be read.
  private func readSmallFile(_ path: String) -> String? {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: 256)
    let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    guard count > 0 else { return nil }
    let line = bytes[..<count].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).first ?? []
    return String(decoding: line, as: UTF8.self)
  }
#endif
