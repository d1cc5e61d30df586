package io.bitnet4j.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The merge loop of BPE training over a bag of words: repeatedly joins the most frequent adjacent pair
 * of symbols, starting from single code points.
 *
 * <p>Pair counts are kept up to date incrementally: each pair knows the words it occurs in, and a merge
 * only re-counts those words. A max-heap of (count, pair) entries picks the next merge; entries are
 * pushed whenever a pair's count changes and an entry whose count is no longer current is skipped when
 * popped (lazy deletion), so the first current entry is the most frequent pair.
 *
 * <p>Results never depend on hash iteration order: symbols get ids in a fixed order (initial code points
 * ascending, then merge results in merge order), and ties between equally frequent pairs go to the lower
 * (left id, right id). Counts from different words are sums, so the order words are visited in is
 * irrelevant.
 */
final class BpeMergeLearner {
    /** A heap entry: the pair (left, right) occurred {@code count} times when the entry was pushed. */
    private record Candidate(int count, int left, int right) {}

    private static final Comparator<Candidate> MOST_FREQUENT_FIRST = Comparator.comparingInt(Candidate::count).reversed()
            .thenComparingInt(Candidate::left).thenComparingInt(Candidate::right);

    private final List<String> symbolText = new ArrayList<>();
    private final Map<String, Integer> symbolId = new HashMap<>();
    private final int[][] words;
    private final int[] wordLength;
    private final int[] frequency;
    /** The merge number that last re-counted each word, so a word listed twice under a pair is handled once. */
    private final int[] visited;
    private final Map<Long, Integer> pairCount = new HashMap<>();
    /** The words each pair occurs in; may hold words that no longer contain it (checked when used). */
    private final Map<Long, IntList> pairWords = new HashMap<>();
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(MOST_FREQUENT_FIRST);

    /**
     * @param wordCounts the distinct words and how often each occurs; iterated once, in any order
     */
    BpeMergeLearner(Map<String, Integer> wordCounts) {
        List<String> sorted = new ArrayList<>(wordCounts.keySet());
        sorted.sort(null);
        TreeSet<Integer> codePoints = new TreeSet<>();
        sorted.forEach(w -> w.codePoints().forEach(codePoints::add));
        for (int cp : codePoints) {
            intern(Character.toString(cp));
        }
        words = new int[sorted.size()][];
        wordLength = new int[sorted.size()];
        frequency = new int[sorted.size()];
        visited = new int[sorted.size()];
        for (int w = 0; w < words.length; w++) {
            String word = sorted.get(w);
            words[w] = word.codePoints().map(cp -> symbolId.get(Character.toString(cp))).toArray();
            wordLength[w] = words[w].length;
            frequency[w] = wordCounts.get(word);
            visited[w] = -1;
            addPairs(w, pairCount);
        }
        pairCount.forEach((pair, count) -> queue.add(candidate(pair, count)));
    }

    /**
     * Learns up to {@code maxPieces} new pieces, most frequent pair first, and returns them in the order
     * learned. Stops early when no pair occurs twice. A pair whose joined text {@code blocked} rejects is
     * never merged. A merge whose text is already a piece (the same string reached by another split)
     * is applied but adds nothing.
     */
    List<String> learn(int maxPieces, Predicate<String> blocked) {
        List<String> pieces = new ArrayList<>();
        int merge = 0;
        while (pieces.size() < maxPieces && !queue.isEmpty()) {
            Candidate best = queue.poll();
            long pair = key(best.left(), best.right());
            if (pairCount.getOrDefault(pair, 0) != best.count()) {
                continue;
            }
            if (best.count() < 2) {
                break;
            }
            String joined = symbolText.get(best.left()) + symbolText.get(best.right());
            if (blocked.test(joined)) {
                continue;
            }
            int before = symbolText.size();
            int joinedId = intern(joined);
            if (symbolText.size() > before) {
                pieces.add(joined);
            }
            // Every occurrence is merged now, so the pair cannot occur again: its word list is done with.
            apply(merge++, best.left(), best.right(), joinedId, pairWords.remove(pair));
        }
        return pieces;
    }

    /** Replaces (left, right) by {@code joined} in every word listed, updating counts and the queue. */
    private void apply(int merge, int left, int right, int joined, IntList listed) {
        Map<Long, Integer> delta = new HashMap<>();
        for (int i = 0; i < listed.size(); i++) {
            int w = listed.get(i);
            if (visited[w] == merge || !contains(w, left, right)) {
                continue;
            }
            visited[w] = merge;
            removePairs(w, delta);
            int[] s = words[w];
            int n = 0;
            for (int j = 0; j < wordLength[w]; j++) {
                if (j + 1 < wordLength[w] && s[j] == left && s[j + 1] == right) {
                    s[n++] = joined;
                    j++;
                } else {
                    s[n++] = s[j];
                }
            }
            wordLength[w] = n;
            addPairs(w, delta);
        }
        delta.forEach((pair, change) -> {
            if (change != 0) {
                int count = pairCount.merge(pair, change, Integer::sum);
                if (count > 0) {
                    queue.add(candidate(pair, count));
                } else {
                    pairCount.remove(pair);
                }
            }
        });
    }

    private boolean contains(int w, int left, int right) {
        int[] s = words[w];
        for (int j = 0; j + 1 < wordLength[w]; j++) {
            if (s[j] == left && s[j + 1] == right) {
                return true;
            }
        }
        return false;
    }

    /** Adds the word's pairs to {@code counts} (the totals while building, a delta while merging) and lists the word under them. */
    private void addPairs(int w, Map<Long, Integer> counts) {
        int[] s = words[w];
        for (int j = 0; j + 1 < wordLength[w]; j++) {
            long pair = key(s[j], s[j + 1]);
            counts.merge(pair, frequency[w], Integer::sum);
            IntList list = pairWords.computeIfAbsent(pair, p -> new IntList(4));
            if (list.size() == 0 || list.get(list.size() - 1) != w) {
                list.add(w);
            }
        }
    }

    private void removePairs(int w, Map<Long, Integer> delta) {
        int[] s = words[w];
        for (int j = 0; j + 1 < wordLength[w]; j++) {
            delta.merge(key(s[j], s[j + 1]), -frequency[w], Integer::sum);
        }
    }

    private int intern(String text) {
        return symbolId.computeIfAbsent(text, t -> {
            symbolText.add(t);
            return symbolText.size() - 1;
        });
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static Candidate candidate(long pair, int count) {
        return new Candidate(count, (int) (pair >>> 32), (int) pair);
    }
}
