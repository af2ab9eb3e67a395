package studio.matting.problems;

import java.util.Arrays;

/**
 * Connected components of a binary mask (two-pass labelling with union–find). Sequential on purpose: the pass is
 * O(n) with a tiny constant, and splitting it into bands would need a merge step across band borders for no real
 * gain at the finder's cost level.
 */
final class Components {
    /** Per pixel: 0 outside the mask, else the component 1..count. */
    final int[] label;
    final int count, width, height;
    /** Per component (index 1..count): pixel count, bounding box (inclusive), touches the image border. */
    final int[] area, x0, y0, x1, y1;
    final boolean[] border;

    private Components(int[] label, int count, int w, int h) {
        this.label = label;
        this.count = count;
        this.width = w;
        this.height = h;
        area = new int[count + 1];
        x0 = new int[count + 1];
        y0 = new int[count + 1];
        x1 = new int[count + 1];
        y1 = new int[count + 1];
        border = new boolean[count + 1];
        Arrays.fill(x0, Integer.MAX_VALUE);
        Arrays.fill(y0, Integer.MAX_VALUE);
        Arrays.fill(x1, -1);
        Arrays.fill(y1, -1);
        for (int y = 0; y < h; y++) {
            for (int x = 0, i = y * w; x < w; x++, i++) {
                int l = label[i];
                if (l == 0) continue;
                area[l]++;
                if (x < x0[l]) x0[l] = x;
                if (x > x1[l]) x1[l] = x;
                if (y < y0[l]) y0[l] = y;
                if (y > y1[l]) y1[l] = y;
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1) border[l] = true;
            }
        }
    }

    /** @param eight 8-connectivity (else 4) */
    static Components of(byte[] mask, int w, int h, boolean eight) {
        int[] label = new int[w * h];
        int[] parent = new int[256];
        int next = 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0, i = y * w; x < w; x++, i++) {
                if (mask[i] == 0) continue;
                int l = 0;
                if (x > 0) l = merge(parent, l, label[i - 1]);
                if (y > 0) {
                    l = merge(parent, l, label[i - w]);
                    if (eight) {
                        if (x > 0) l = merge(parent, l, label[i - w - 1]);
                        if (x + 1 < w) l = merge(parent, l, label[i - w + 1]);
                    }
                }
                if (l == 0) {
                    if (next == parent.length) parent = Arrays.copyOf(parent, parent.length * 2);
                    parent[next] = next;
                    l = next++;
                }
                label[i] = l;
            }
        }
        int[] compact = new int[next];
        int count = 0;
        for (int l = 1; l < next; l++) {
            int r = find(parent, l);
            if (compact[r] == 0) compact[r] = ++count;
            compact[l] = compact[r];
        }
        for (int i = 0; i < label.length; i++) if (label[i] != 0) label[i] = compact[label[i]];
        return new Components(label, count, w, h);
    }

    private static int merge(int[] parent, int l, int other) {
        if (other == 0) return l;
        if (l == 0) return find(parent, other);
        int a = find(parent, l), b = find(parent, other);
        if (a == b) return a;
        int lo = Math.min(a, b);
        parent[Math.max(a, b)] = lo;
        return lo;
    }

    private static int find(int[] parent, int l) {
        while (parent[l] != l) {
            parent[l] = parent[parent[l]];
            l = parent[l];
        }
        return l;
    }
}
