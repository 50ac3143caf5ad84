import LabelKitFrames
import Testing

@Suite("Frame order permutations (spec section 4.3 vectors)")
struct PermutationTests {
    @Test("helper values")
    func helpers() {
        #expect(OrderHash.mix(OrderHash.golden) == 0xE220_A839_7B1D_CDAF)
        #expect(OrderHash.mix(0) == 0)
        #expect(OrderHash.fnv1a("alice") == 0x508B_2ABB_65A0_3907)
        #expect(OrderHash.epochSeed(42, epoch: 1) == 0xC2A6_EEBD_F397_6AD0)
    }

    static let vectors: [(Int, UInt64, [Int])] = [
        (1, 0, [0]),
        (2, 0, [1, 0]),
        (10, 0, [1, 0, 9, 3, 5, 6, 2, 8, 7, 4]),
        (10, 42, [2, 9, 1, 5, 3, 7, 0, 4, 8, 6]),
        (10, UInt64.max, [5, 6, 8, 1, 7, 9, 0, 2, 4, 3]),
        (10, 0xC2A6_EEBD_F397_6AD0, [4, 9, 5, 3, 1, 2, 7, 8, 0, 6]),
        (17, 7, [5, 14, 1, 6, 11, 0, 8, 4, 9, 13, 2, 12, 7, 15, 3, 16, 10]),
    ]

    @Test("Feistel orders match the spec", arguments: 0..<7)
    func feistel(_ i: Int) {
        let (n, seed, expected) = Self.vectors[i]
        let p = FeistelPermutation(count: n, seed: seed)
        #expect((0..<n).map(p.element(at:)) == expected)
    }

    @Test("large domains match the spec")
    func large() {
        let p = FeistelPermutation(count: 1000, seed: 12345)
        #expect((0..<10).map(p.element(at:)) == [809, 60, 57, 226, 762, 126, 840, 38, 850, 374])
        let q = FeistelPermutation(count: 1_000_000_000, seed: 99)
        #expect((0..<5).map(q.element(at:)) == [419_419_795, 972_498_169, 570_103_019, 34_285_641, 724_622_984])
    }

    @Test("an annotator's own order")
    func userOrder() {
        let p = FeistelPermutation(count: 10, seed: OrderHash.userSeed(42, user: "alice"))
        #expect((0..<10).map(p.element(at:)) == [4, 2, 0, 7, 6, 8, 3, 5, 1, 9])
    }

    @Test("bijective with an exact inverse for n = 1...2000")
    func bijection() {
        for n in 1...2000 {
            let p = FeistelPermutation(count: n, seed: UInt64(n) &* 0x9E37_79B9)
            var seen = [Bool](repeating: false, count: n)
            for k in 0..<n {
                let e = p.element(at: k)
                guard e >= 0 && e < n && !seen[e] && p.position(of: e) == k else {
                    Issue.record("n = \(n), k = \(k)")
                    return
                }
                seen[e] = true
            }
        }
    }

    @Test("inverse holds on random large domains up to 10^9")
    func largeInverse() {
        var state: UInt64 = 7
        for _ in 0..<200 {
            state = OrderHash.mix(state &+ OrderHash.golden)
            let n = Int(state % 1_000_000_000) + 1
            let p = FeistelPermutation(count: n, seed: state)
            for j in 0..<20 {
                let k = Int((state &+ UInt64(j) &* 7919) % UInt64(n))
                let e = p.element(at: k)
                #expect(e < n && p.position(of: e) == k)
            }
        }
    }

    @Test("Fisher-Yates orders match the spec")
    func fisherYates() {
        #expect(FisherYates.order(count: 10, seed: 42) == [8, 3, 6, 5, 4, 0, 9, 2, 1, 7])
        #expect(FisherYates.order(count: 10, seed: 0) == [4, 9, 2, 5, 1, 7, 6, 0, 3, 8])
    }
}
