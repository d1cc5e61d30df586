package io.bitnet4j.generate;

/**
 * In-place ordering of candidate token ids by their logits, highest first and the lower id first on ties,
 * without allocating: heap selection for top-k and heapsort for the rest.
 *
 * <p>The heaps here keep the <em>worst</em> candidate at the root, so selection can evict it and the sort
 * can move it to the end, which leaves the array in descending order.
 */
final class CandidateOrder {
    private CandidateOrder() {}

    /** Whether token {@code a} ranks before token {@code b}. */
    static boolean before(int a, int b, float[] logits) {
        float la = logits[a];
        float lb = logits[b];
        return la > lb || (la == lb && a < b);
    }

    /** Sorts {@code ids[0, n)} best first. */
    static void sort(int[] ids, int n, float[] logits) {
        heapify(ids, n, logits);
        sortHeap(ids, n, logits);
    }

    /** Moves the {@code k} best of {@code ids[0, n)} to {@code ids[0, k)}, sorted best first; {@code 0 < k ≤ n}. */
    static void selectTop(int[] ids, int n, int k, float[] logits) {
        heapify(ids, k, logits);
        for (int j = k; j < n; j++) {
            if (before(ids[j], ids[0], logits)) {
                ids[0] = ids[j];
                siftDown(ids, 0, k, logits);
            }
        }
        sortHeap(ids, k, logits);
    }

    private static void heapify(int[] heap, int n, float[] logits) {
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(heap, i, n, logits);
        }
    }

    private static void sortHeap(int[] heap, int n, float[] logits) {
        for (int end = n - 1; end > 0; end--) {
            int worst = heap[0];
            heap[0] = heap[end];
            heap[end] = worst;
            siftDown(heap, 0, end, logits);
        }
    }

    private static void siftDown(int[] heap, int i, int n, float[] logits) {
        int v = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && before(heap[child], heap[child + 1], logits)) {
                child++; // the worse of the two children
            }
            if (!before(v, heap[child], logits)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = v;
    }
}
