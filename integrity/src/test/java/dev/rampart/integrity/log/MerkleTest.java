package dev.rampart.integrity.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** RFC 9162 hashing and proofs, checked against the transparency-dev/merkle test vectors. */
class MerkleTest {
  private static final HexFormat HEX = HexFormat.of();
  static final List<byte[]> LEAVES = List.of(h(""), h("00"), h("10"), h("2021"), h("3031"), h("40414243"),
      h("5051525354555657"), h("606162636465666768696a6b6c6d6e6f"));
  static final List<String> ROOTS = List.of(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  static byte[] h(String hex) {
    return HEX.parseHex(hex);
  }

  static Merkle.Hashes tree() {
    return Merkle.inMemory(LEAVES.stream().map(Merkle::leafHash).toList());
  }

  @Test
  void rootsForEverySize() {
    var t = tree();
    for (int n = 0; n <= 8; n++) {
      assertThat(HEX.formatHex(t.range(0, n))).as("root of %d", n).isEqualTo(ROOTS.get(n));
    }
  }

  @Test
  void inclusionProofVectors() {
    var t = tree();
    assertProof(Merkle.inclusionProof(t, 0, 8), "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    assertProof(Merkle.inclusionProof(t, 5, 8), "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    assertProof(Merkle.inclusionProof(t, 2, 3), "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
    assertProof(Merkle.inclusionProof(t, 1, 5), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
    assertThat(Merkle.inclusionProof(t, 0, 1)).isEmpty();
  }

  @Test
  void consistencyProofVectors() {
    var t = tree();
    assertProof(Merkle.consistencyProof(t, 1, 8), "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    assertProof(Merkle.consistencyProof(t, 6, 8), "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    assertProof(Merkle.consistencyProof(t, 2, 5), "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
    assertProof(Merkle.consistencyProof(t, 6, 7), "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    assertThat(Merkle.consistencyProof(t, 1, 1)).isEmpty();
  }

  private static void assertProof(List<byte[]> proof, String... expected) {
    assertThat(proof.stream().map(HEX::formatHex).toList()).containsExactly(expected);
  }

  @Test
  void corruptedProofsAreRejected() {
    var t = tree();
    byte[] root = t.range(0, 8);
    byte[] leaf = Merkle.leafHash(LEAVES.get(5));
    var proof = Merkle.inclusionProof(t, 5, 8);
    assertThat(Merkle.verifyInclusion(5, 8, leaf, proof, root)).isTrue();
    assertThat(Merkle.verifyInclusion(4, 8, leaf, proof, root)).isFalse();
    assertThat(Merkle.verifyInclusion(6, 8, leaf, proof, root)).isFalse();
    assertThat(Merkle.verifyInclusion(5, 16, leaf, proof, root)).isFalse();
    assertThat(Merkle.verifyInclusion(5, 4, leaf, proof, root)).isFalse();
    assertThat(Merkle.verifyInclusion(5, 8, leaf, proof.subList(0, 2), root)).isFalse();
    var extended = new ArrayList<>(proof);
    extended.add(root);
    assertThat(Merkle.verifyInclusion(5, 8, leaf, extended, root)).isFalse();
    for (int i = 0; i < proof.size(); i++) {
      var bad = new ArrayList<>(proof);
      byte[] flipped = proof.get(i).clone();
      flipped[0] ^= 8;
      bad.set(i, flipped);
      assertThat(Merkle.verifyInclusion(5, 8, leaf, bad, root)).isFalse();
    }
    var cons = Merkle.consistencyProof(t, 6, 8);
    byte[] r6 = t.range(0, 6);
    assertThat(Merkle.verifyConsistency(6, 8, cons, r6, root)).isTrue();
    assertThat(Merkle.verifyConsistency(6, 8, cons, root, r6)).isFalse();
    assertThat(Merkle.verifyConsistency(5, 8, cons, r6, root)).isFalse();
    assertThat(Merkle.verifyConsistency(6, 8, List.of(), r6, root)).isFalse();
    assertThat(Merkle.verifyConsistency(6, 8, cons.subList(0, 2), r6, root)).isFalse();
    assertThat(Merkle.verifyConsistency(8, 6, cons, root, r6)).isFalse();
  }

  @Property(tries = 400)
  void everyProofOfEveryTreeUpTo64Verifies(@ForAll @IntRange(min = 1, max = 64) int n,
      @ForAll @IntRange(min = 0, max = 63) int a, @ForAll @IntRange(min = 1, max = 64) int b) {
    var leaves = new ArrayList<byte[]>();
    for (int i = 0; i < n; i++) {
      leaves.add(Merkle.leafHash(new byte[] {(byte) i, (byte) (i >> 8)}));
    }
    var t = Merkle.inMemory(leaves);
    int index = a % n;
    assertThat(Merkle.verifyInclusion(index, n, leaves.get(index), Merkle.inclusionProof(t, index, n), t.range(0, n))).isTrue();
    int m = Math.min(b, n);
    assertThat(Merkle.verifyConsistency(m, n, Merkle.consistencyProof(t, m, n), t.range(0, m), t.range(0, n))).isTrue();
    if (m < n) {
      byte[] forged = t.range(0, m).clone();
      forged[3] ^= 1;
      assertThat(Merkle.verifyConsistency(m, n, Merkle.consistencyProof(t, m, n), forged, t.range(0, n))).isFalse();
    }
  }
}
