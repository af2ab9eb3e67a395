package studio.matting.ui.canvas.tools;

/** One pointer event of a primary-button drag, in image pixels and in canvas (view) pixels. */
public record Gesture(double x, double y, double viewX, double viewY) { }
