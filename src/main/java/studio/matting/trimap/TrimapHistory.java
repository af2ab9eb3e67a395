package studio.matting.trimap;

import studio.matting.image.Rect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Undo/redo for a trimap that is edited in place. An edit stores only the tiles it changed (before and after bytes),
 * so a small brush stroke on a 24-megapixel image costs a few kilobytes; the total is capped and the oldest edits are
 * dropped first. Works for brush strokes ({@link #begin}/{@link #touch}/{@link #commit}) and whole-trimap replacements
 * ({@link #replace}) alike.
 */
public final class TrimapHistory {
    public static final int TILE = 64;
    public static final long DEFAULT_MAX_BYTES = 64L << 20;

    private record Tile(int tx, int ty, byte[] before, byte[] after) {
        long bytes() { return (long) before.length + after.length + 32; }
    }

    private record Edit(String label, List<Tile> tiles, long bytes) { }

    private final Trimap trimap;
    private final long maxBytes;
    private final Deque<Edit> undo = new ArrayDeque<>();
    private final Deque<Edit> redo = new ArrayDeque<>();
    private long bytes;
    /** Tiles captured (before bytes) by the edit in progress, keyed by tile index. */
    private Map<Integer, byte[]> pending;
    private String pendingLabel;

    public TrimapHistory(Trimap trimap) {
        this(trimap, DEFAULT_MAX_BYTES);
    }

    public TrimapHistory(Trimap trimap, long maxBytes) {
        this.trimap = trimap;
        this.maxBytes = maxBytes;
    }

    public Trimap trimap() { return trimap; }

    /** Starts recording an edit; call {@link #touch} before changing pixels and {@link #commit} at the end. */
    public void begin(String label) {
        if (pending != null) commit();
        pending = new LinkedHashMap<>();
        pendingLabel = label;
    }

    public boolean inEdit() { return pending != null; }

    /** Saves the current bytes of every tile in {@code r} not yet saved by this edit. Call before modifying r. */
    public void touch(Rect r) {
        if (pending == null) throw new IllegalStateException("touch() outside begin()/commit()");
        r = r.intersect(Rect.of(trimap.width, trimap.height));
        if (r.isEmpty()) return;
        int tilesX = (trimap.width + TILE - 1) / TILE;
        for (int ty = r.y() / TILE; ty <= (r.bottom() - 1) / TILE; ty++)
            for (int tx = r.x() / TILE; tx <= (r.right() - 1) / TILE; tx++)
                pending.computeIfAbsent(ty * tilesX + tx, k -> copyTile(k % tilesX, k / tilesX));
    }

    /** Ends the edit, keeping only tiles that really changed; returns false when nothing changed. */
    public boolean commit() {
        if (pending == null) return false;
        int tilesX = (trimap.width + TILE - 1) / TILE;
        List<Tile> tiles = new ArrayList<>();
        long size = 0;
        for (Map.Entry<Integer, byte[]> e : pending.entrySet()) {
            int tx = e.getKey() % tilesX, ty = e.getKey() / tilesX;
            byte[] after = copyTile(tx, ty);
            if (!Arrays.equals(after, e.getValue())) {
                Tile t = new Tile(tx, ty, e.getValue(), after);
                tiles.add(t);
                size += t.bytes();
            }
        }
        String label = pendingLabel;
        pending = null;
        if (tiles.isEmpty()) return false;
        push(new Edit(label, tiles, size));
        return true;
    }

    /**
     * Replaces the trimap's bytes with {@code next} as one undoable step; returns the changed area (empty, and no step
     * recorded, when nothing differs), so callers re-render and re-matte only what moved.
     */
    public Rect replace(String label, Trimap next) {
        if (next.width != trimap.width || next.height != trimap.height)
            throw new IllegalArgumentException("replacement trimap has a different size");
        Rect changed = trimap.differenceBounds(next);
        if (changed.isEmpty()) return changed;
        begin(label);
        touch(changed);
        System.arraycopy(next.data, 0, trimap.data, 0, next.data.length);
        commit();
        return changed;
    }

    private void push(Edit e) {
        undo.push(e);
        bytes += e.bytes();
        for (Edit r : redo) bytes -= r.bytes();
        redo.clear();
        // Keep at least the newest edit even when it alone exceeds the cap, so the last action is always undoable.
        while (bytes > maxBytes && undo.size() > 1) bytes -= undo.removeLast().bytes();
    }

    public boolean canUndo() { return !undo.isEmpty(); }

    public boolean canRedo() { return !redo.isEmpty(); }

    public int undoCount() { return undo.size(); }

    public String undoLabel() { return undo.isEmpty() ? null : undo.peek().label(); }

    public String redoLabel() { return redo.isEmpty() ? null : redo.peek().label(); }

    /** Bytes held by all stored edits. */
    public long memoryBytes() { return bytes; }

    /** Undoes the newest edit; returns the changed area (empty when there was nothing to undo). */
    public Rect undo() {
        if (pending != null) commit();
        if (undo.isEmpty()) return new Rect(0, 0, 0, 0);
        Edit e = undo.pop();
        redo.push(e);
        return apply(e, true);
    }

    public Rect redo() {
        if (pending != null) commit();
        if (redo.isEmpty()) return new Rect(0, 0, 0, 0);
        Edit e = redo.pop();
        undo.push(e);
        return apply(e, false);
    }

    public void clear() {
        undo.clear();
        redo.clear();
        pending = null;
        bytes = 0;
    }

    private Rect apply(Edit e, boolean before) {
        Rect dirty = new Rect(0, 0, 0, 0);
        for (Tile t : e.tiles()) dirty = dirty.union(writeTile(t.tx(), t.ty(), before ? t.before() : t.after()));
        return dirty;
    }

    private Rect tileRect(int tx, int ty) {
        return new Rect(tx * TILE, ty * TILE, TILE, TILE).intersect(Rect.of(trimap.width, trimap.height));
    }

    private byte[] copyTile(int tx, int ty) {
        return trimap.crop(tileRect(tx, ty)).data;
    }

    private Rect writeTile(int tx, int ty, byte[] src) {
        Rect r = tileRect(tx, ty);
        for (int y = 0; y < r.height(); y++)
            System.arraycopy(src, y * r.width(), trimap.data, (r.y() + y) * trimap.width + r.x(), r.width());
        return r;
    }
}
