package org.rlhf4j.data.tokenizer;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * The merge loop of byte-pair encoding (Sennrich et al. 2016, as GPT-2 applies it at encoding time).
 * A piece starts as one token per byte; while some adjacent pair of tokens has a merge rule, the pair
 * whose rule has the lowest rank (the earliest line of {@code vocab.bpe}) is replaced by the merged
 * token, the leftmost such pair first. When no adjacent pair has a rule, the tokens are the encoding.
 *
 * <p>Rules are looked up by the ids of the pair in an open-addressing hash table. Short pieces (most
 * of them: a word is a few bytes) use arrays and a linear scan for the best pair, O(n^2) for n bytes;
 * long pieces (a run of 10,000 spaces, a base64 blob) use a linked list and a heap of candidate pairs,
 * O(n log n). Both give the same result (a property test checks it).
 */
final class BytePairMerger {

    /** Pieces with more byte tokens than this use the heap-based loop. */
    static final int LONG_PIECE = 128;

    private static final int NONE = Integer.MAX_VALUE;
    private static final long EMPTY = -1L;

    /** Hash table: pair key -> rank. Keys are {@code left << 32 | right}, never -1 as ids are >= 0. */
    private final long[] keys;
    private final int[] ranks;
    private final int mask;
    /** {@code result[rank]}: the id of the token the rule of that rank makes. */
    private final int[] result;

    /** Rules by rank: rule r merges ({@code left[r]}, {@code right[r]}) into {@code result[r]}. */
    BytePairMerger(int[] left, int[] right, int[] result) {
        int capacity = Integer.highestOneBit(Math.max(4, left.length * 2 + 1)) << 1;
        this.keys = new long[capacity];
        this.ranks = new int[capacity];
        this.mask = capacity - 1;
        this.result = result.clone();
        Arrays.fill(keys, EMPTY);
        for (int r = 0; r < left.length; r++) {
            long key = key(left[r], right[r]);
            int slot = slot(key);
            while (keys[slot] != EMPTY && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            if (keys[slot] == key) {
                throw new IllegalArgumentException("merge rule " + r + " repeats rule " + ranks[slot]);
            }
            keys[slot] = key;
            ranks[slot] = r;
        }
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        // Fibonacci hashing: the high bits of key * 2^64/phi, folded to the table size.
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The rank of the rule merging (a, b), or {@link Integer#MAX_VALUE} when there is none. */
    int rank(int a, int b) {
        long key = key(a, b);
        for (int slot = slot(key); keys[slot] != EMPTY; slot = (slot + 1) & mask) {
            if (keys[slot] == key) {
                return ranks[slot];
            }
        }
        return NONE;
    }

    /** The encoding of a piece given as one token per byte. */
    int[] merge(int[] byteTokens) {
        return byteTokens.length > LONG_PIECE ? mergeLong(byteTokens) : mergeShort(byteTokens);
    }

    /** Arrays and a linear scan: tok[0, n) the tokens, pair[i] the rank of (tok[i], tok[i+1]). */
    int[] mergeShort(int[] byteTokens) {
        int n = byteTokens.length;
        int[] tok = byteTokens.clone();
        int[] pair = new int[Math.max(0, n - 1)];
        for (int i = 0; i + 1 < n; i++) {
            pair[i] = rank(tok[i], tok[i + 1]);
        }
        while (n > 1) {
            int best = NONE;
            int at = -1;
            for (int i = 0; i + 1 < n; i++) {
                if (pair[i] < best) { // strict: the leftmost of equal ranks wins
                    best = pair[i];
                    at = i;
                }
            }
            if (at < 0) {
                break;
            }
            // tok[at], tok[at+1] -> result[best]; everything after at+1 moves one to the left
            tok[at] = result[best];
            System.arraycopy(tok, at + 2, tok, at + 1, n - at - 2);
            if (n - at - 3 > 0) {
                System.arraycopy(pair, at + 2, pair, at + 1, n - at - 3);
            }
            n--;
            if (at > 0) {
                pair[at - 1] = rank(tok[at - 1], tok[at]);
            }
            if (at + 1 < n) {
                pair[at] = rank(tok[at], tok[at + 1]);
            }
        }
        return Arrays.copyOf(tok, n);
    }

    /**
     * A doubly linked list of tokens and a heap of candidate pairs ordered by (rank, position of the
     * left token). A heap entry goes stale when either of its tokens has since been merged; it is then
     * skipped when popped (the rank of the pair now at that position differs, or the node is gone).
     */
    int[] mergeLong(int[] byteTokens) {
        int n = byteTokens.length;
        if (n == 0) {
            return new int[0];
        }
        int[] tok = byteTokens.clone();
        int[] next = new int[n];
        int[] prev = new int[n];
        boolean[] gone = new boolean[n];
        PriorityQueue<Long> heap = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
            if (i + 1 < n) {
                push(heap, rank(tok[i], tok[i + 1]), i);
            }
        }
        int alive = n;
        while (!heap.isEmpty()) {
            long entry = heap.poll();
            int r = (int) (entry >>> 32);
            int i = (int) entry;
            int j = gone[i] ? -1 : next[i];
            if (j < 0 || rank(tok[i], tok[j]) != r) {
                continue; // stale
            }
            tok[i] = result[r];
            gone[j] = true;
            next[i] = next[j];
            if (next[j] >= 0) {
                prev[next[j]] = i;
            }
            alive--;
            if (prev[i] >= 0) {
                push(heap, rank(tok[prev[i]], tok[i]), prev[i]);
            }
            if (next[i] >= 0) {
                push(heap, rank(tok[i], tok[next[i]]), i);
            }
        }
        int[] out = new int[alive];
        for (int i = 0, k = 0; i >= 0; i = next[i]) {
            out[k++] = tok[i];
        }
        return out;
    }

    private static void push(PriorityQueue<Long> heap, int rank, int position) {
        if (rank != NONE) {
            heap.add(((long) rank << 32) | position);
        }
    }
}
