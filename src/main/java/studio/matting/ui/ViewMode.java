package studio.matting.ui;

/** What the canvas shows. */
public enum ViewMode {
    IMAGE("Image"), OVERLAY("Trimap overlay"), TRIMAP("Trimap"), ALPHA("Alpha"), COMPOSITE("Composite"), SPLIT("Before / after");

    private final String label;

    ViewMode(String label) { this.label = label; }

    /** Views that need a matte; they show a placeholder until one exists. */
    public boolean needsAlpha() { return this == ALPHA || this == COMPOSITE || this == SPLIT; }

    @Override public String toString() { return label; }
}
