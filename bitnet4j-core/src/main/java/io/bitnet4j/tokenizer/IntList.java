package io.bitnet4j.tokenizer;

import java.util.Arrays;

/** A growable list of ints, so encoding does not box every token id. */
final class IntList {
    private int[] items;
    private int size;

    IntList(int capacity) {
        items = new int[Math.max(4, capacity)];
    }

    void add(int v) {
        if (size == items.length) {
            items = Arrays.copyOf(items, Math.max(8, Math.multiplyExact(size, 2)));
        }
        items[size++] = v;
    }

    void addAll(int[] values) {
        for (int v : values) {
            add(v);
        }
    }

    int size() {
        return size;
    }

    int get(int i) {
        return items[i];
    }

    int[] toArray() {
        return Arrays.copyOf(items, size);
    }
}
