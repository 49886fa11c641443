import Testing

@testable import Interleave

@Suite("Level storage")
struct ChunkPoolTests {
  @Test("finished chunks go back to the pool, which keeps two and frees the rest")
  func sparesAreBounded() {
    let pool = ChunkPool<Int>()
    let chunk = ChunkedStorage<Int>.chunkSize
    let level = ChunkedStorage<Int>(reusing: pool)
    for i in 0..<(5 * chunk + 10) { level.append(i) }
    #expect(level[3 * chunk + 7] == 3 * chunk + 7)
    level.releaseChunks(before: 4 * chunk + 1)
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
}
