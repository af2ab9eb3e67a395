package studio.matting.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * What an ONNX graph takes and gives, read from ONNX Runtime's session metadata ({@link InferenceRuntime#inspect}):
 * the inputs and outputs in graph order, each with its element type and shape (-1 for a dynamic dimension). Pure data,
 * so the checks against a card ({@link #verify}) and the importer's family rules need no session.
 */
public record ModelGraph(List<Tensor> inputs, List<Tensor> outputs) {

    /** One graph input or output: {@code type} as ONNX Runtime names it (FLOAT, INT64, ...; "not a tensor" otherwise). */
    public record Tensor(String name, String type, long[] shape, String[] dimNames) {
        public boolean isFloat() { return "FLOAT".equals(type); }

        public int rank() { return shape == null ? -1 : shape.length; }

        public long dim(int i) { return shape[i]; }

        public boolean dynamic(int i) { return shape[i] < 0; }

        /** "input.1 float32 [1,3,320,320]" with dynamic dimensions by name ("height") or "?". */
        public String describe() {
            return name + " " + typeName() + " " + shapeText();
        }

        public String shapeText() {
            if (shape == null) return "";
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < shape.length; i++) {
                if (i > 0) b.append(',');
                if (shape[i] >= 0) b.append(shape[i]);
                else b.append(dimNames != null && i < dimNames.length && dimNames[i] != null && !dimNames[i].isBlank() ? dimNames[i] : "?");
            }
            return b.append(']').toString();
        }

        String typeName() {
            return isFloat() ? "float32" : type == null ? "unknown" : type.toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ModelGraph {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Tensor input(String name) {
        for (Tensor t : inputs) if (t.name().equals(name)) return t;
        return null;
    }

    public Tensor output(String name) {
        for (Tensor t : outputs) if (t.name().equals(name)) return t;
        return null;
    }

    static String names(List<Tensor> ts) {
        List<String> n = new ArrayList<>();
        for (Tensor t : ts) n.add(t.name());
        return n.toString();
    }

    /**
     * Checks that the graph is the one the card describes (the checks made when a session is opened): the input's
     * name, rank, channels and layout, the size rule against fixed or dynamic dimensions, and the named output's
     * channels. The message names the file and what differs.
     */
    public void verify(ModelCard card) throws ModelException {
        String label = "Model " + card.file();
        Tensor in = input(card.input().name());
        if (in == null) throw new ModelException(label + ": the graph has no input '" + card.input().name() + "' (it has " + names(inputs) + ")");
        if (inputs.size() != 1) throw new ModelException(label + ": the graph needs " + inputs.size() + " inputs " + names(inputs) + ", the card describes one");
        Tensor out = output(card.output().name());
        if (out == null) throw new ModelException(label + ": the graph has no output '" + card.output().name() + "' (it has " + names(outputs) + ")");
        long[] is = tensorShape(label, "input", in, 4, 4);
        boolean nhwc = card.input().nhwc();
        int ci = nhwc ? 3 : 1, hi = nhwc ? 1 : 2, wi = nhwc ? 2 : 3;
        if (is[ci] >= 0 && is[ci] != card.input().channels())
            throw new ModelException(label + ": the graph takes " + is[ci] + " input channels, the card says " + card.input().channels()
                    + (nhwc ? " (layout NHWC: channels last)" : ""));
        ModelCard.Size size = card.input().size();
        if (size.fixed()) {
            if ((is[hi] >= 0 && is[hi] != size.height()) || (is[wi] >= 0 && is[wi] != size.width()))
                throw new ModelException(label + ": the graph's input is " + is[wi] + "x" + is[hi] + ", the card says " + size.width() + "x" + size.height());
        } else if (is[hi] >= 0 || is[wi] >= 0) {
            throw new ModelException(label + ": the graph has a fixed input size (" + java.util.Arrays.toString(is)
                    + ") but the card's size rule '" + size.rule() + "' needs dynamic height and width");
        }
        long[] os = tensorShape(label, "output", out, 3, 4);
        long channels = os.length == 3 ? 1 : nhwc ? os[3] : os[1];
        if (channels >= 0 && channels != card.output().channels())
            throw new ModelException(label + ": the graph gives " + channels + " output channels, the card says " + card.output().channels());
    }

    private static long[] tensorShape(String label, String what, Tensor t, int minRank, int maxRank) throws ModelException {
        if (t.shape() == null) throw new ModelException(label + ": the graph's " + what + " is not a tensor");
        if (!t.isFloat()) throw new ModelException(label + ": the graph's " + what + " is " + t.type() + ", expected float32");
        long[] shape = t.shape();
        if (shape.length < minRank || shape.length > maxRank)
            throw new ModelException(label + ": the graph's " + what + " has rank " + shape.length + " " + java.util.Arrays.toString(shape)
                    + ", expected " + (minRank == maxRank ? minRank + " (NCHW or NHWC)" : minRank + " or " + maxRank));
        return shape;
    }
}
