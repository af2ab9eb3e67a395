// Runs NAME.onnx in ONNX Runtime (Java, the runtime the app uses) on the check input of NAME.check.json
// and compares with PyTorch's samples. No Python onnxruntime is available on the build machines.
// Usage: java -cp ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime_gpu/1.29.0/onnxruntime_gpu-1.29.0.jar \
//          training/CheckOnnx.java models/NAME.onnx models/NAME.check.json
import ai.onnxruntime.*;
import java.nio.FloatBuffer;
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;

public class CheckOnnx {
    public static void main(String[] a) throws Exception {
        String json = Files.readString(Path.of(a[1]));
        long[] shape = Arrays.stream(grab(json, "\"input_shape\"\\s*:\\s*\\[([^\\]]*)\\]").split(","))
                .map(String::trim).mapToLong(Long::parseLong).toArray();
        double tol = Double.parseDouble(grab(json, "\"tolerance\"\\s*:\\s*([0-9.eE+-]+)"));
        int n = (int) shape[0], c = (int) shape[1], h = (int) shape[2], w = (int) shape[3];
        float[] x = new float[n * c * h * w];
        for (int in = 0; in < n; in++) for (int ic = 0; ic < c; ic++) for (int ih = 0; ih < h; ih++)
            for (int iw = 0; iw < w; iw++)
                x[((in * c + ic) * h + ih) * w + iw] = (float) (0.5 * Math.sin(0.1 * (ic + 1) * (ih + 1) + 0.05 * (iw + 1)));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(a[0], new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
             OrtSession.Result r = s.run(Map.of("input", t))) {
            float[][][][] y = (float[][][][]) r.get("output").get().getValue();
            Matcher m = Pattern.compile("\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*([0-9.eE+-]+)\\s*\\]").matcher(json);
            double worst = 0; int count = 0;
            while (m.find()) {
                double got = y[Integer.parseInt(m.group(1))][Integer.parseInt(m.group(2))][Integer.parseInt(m.group(3))][Integer.parseInt(m.group(4))];
                worst = Math.max(worst, Math.abs(got - Double.parseDouble(m.group(5))));
                count++;
            }
            System.out.printf("%s: output %dx%dx%dx%d, %d samples, max |diff| %.3g (tolerance %.1g) %s%n", a[0],
                    y.length, y[0].length, y[0][0].length, y[0][0][0].length, count, worst, tol, worst <= tol ? "OK" : "FAIL");
            if (worst > tol || count == 0) System.exit(1);
        }
    }

    static String grab(String s, String re) {
        Matcher m = Pattern.compile(re).matcher(s);
        if (!m.find()) throw new IllegalArgumentException("missing " + re);
        return m.group(1);
    }
}
