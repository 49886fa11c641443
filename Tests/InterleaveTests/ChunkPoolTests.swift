import Testing

@testable import Interleave

@Suite("Level storage")
struct ChunkPoolTests {
  @Test("finished chunks go back to the pool, which keeps two and frees the rest when trimmed")
  func sparesAreBounded() {
    let pool = ChunkPool<Int>()
    let chunk = ChunkedStorage<Int>.chunkSize
    let level = ChunkedStorage<Int>(reusing: pool)
    for i in 0..<(5 * chunk + 10) { level.append(i) }
    #expect(level[3 * chunk + 7] == 3 * chunk + 7)
    level.releaseChunks(before: 4 * chunk + 1)
    #expect(pool.spare.count == 4)
    pool.trim()
    #expect(pool.spare.count == ChunkPool<Int>.spareLimit)
    #expect(level.bytes == 2 * ChunkedStorage<Int>.chunkBytes)
    // The next level takes the spares before it allocates.
    let next = ChunkedStorage<Int>(reusing: pool)
    let first = next.extend(by: chunk + 1)
    #expect(pool.spare.isEmpty)
    for i in 0..<(chunk + 1) { next.initialize(at: first + i, to: -i) }
    #expect(next[chunk] == -chunk)
    #expect(level[5 * chunk + 9] == 5 * chunk + 9)
  }

  @Test("chunks reserved ahead serve later extensions, and go back to the pool with the storage")
  func reservedChunks() {
    let pool = ChunkPool<Int>()
    let chunk = ChunkedStorage<Int>.chunkSize
    do {
      let level = ChunkedStorage<Int>(reusing: pool)
      level.reserve(upTo: 2 * chunk + 1)
      #expect(level.count == 0)
      #expect(level.bytes == 3 * ChunkedStorage<Int>.chunkBytes)
      // Extending within the reservation maps nothing more.
      let first = level.extend(by: chunk + 5)
      for i in 0..<(chunk + 5) { level.initialize(at: first + i, to: i) }
      #expect(level.bytes == 3 * ChunkedStorage<Int>.chunkBytes)
      #expect(level[chunk + 4] == chunk + 4)
      // Past it, one more chunk.
      let second = level.extend(by: 2 * chunk)
      for i in 0..<(2 * chunk) { level.initialize(at: second + i, to: -i) }
      #expect(level.bytes == 4 * ChunkedStorage<Int>.chunkBytes)
      #expect(level[second + 2 * chunk - 1] == -(2 * chunk - 1))
    }
    // Every chunk, used or not, went back to the pool.
    #expect(pool.spare.count == 4)
    pool.trim()
    #expect(pool.spare.count == ChunkPool<Int>.spareLimit)
  }
}
