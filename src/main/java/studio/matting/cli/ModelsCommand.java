package studio.matting.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import studio.matting.inference.ModelCard;
import studio.matting.inference.ModelException;
import studio.matting.inference.ModelGraph;
import studio.matting.inference.ModelImporter;
import studio.matting.inference.ModelRepository;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code models import|list|remove}: the user's model folder (see {@link ModelImporter}). */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Import ONNX models from rembg (u2net, isnet, birefnet), MODNet or Matting Studio, list and remove them.",
        subcommands = {ModelsCommand.Import.class, ModelsCommand.ListModels.class, ModelsCommand.Remove.class})
public final class ModelsCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Check an ONNX file against its family's conventions, write its card (with SHA-256) and copy it "
                    + "into the user model folder (~/.matting-studio/models, or -Dmatting.userModels).")
    static final class Import implements Callable<Integer> {
        @Parameters(paramLabel = "FILE.onnx") Path file;

        @Option(names = "--family", defaultValue = "auto", paramLabel = "FAMILY",
                description = "auto, u2net, isnet, birefnet, modnet or matting-studio (default ${DEFAULT-VALUE}: a card "
                        + "beside the file, then the file name, then the graph)")
        String family;

        @Option(names = "--name", paramLabel = "N", description = "model name (default: the file name without .onnx)")
        String name;

        @Override
        public Integer call() throws ModelException {
            ModelImporter.Result r = ModelImporter.importModel(file, family, name);
            ModelCard c = r.card();
            System.out.println("Imported " + c.name() + " as " + r.family().id + " (" + r.why() + ")");
            System.out.println("  conventions: " + r.family().source);
            for (ModelGraph.Tensor t : r.graph().inputs()) System.out.println("  input   " + t.describe());
            for (ModelGraph.Tensor t : r.graph().outputs())
                System.out.println("  output  " + t.describe() + (t.name().equals(c.output().name()) ? "   <- used" : ""));
            System.out.println("  card    " + conventions(c));
            System.out.println("  sha256  " + c.sha256());
            System.out.println("  written " + c.cardPath() + " and " + c.modelPath().getFileName());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the models in every searched folder.")
    static final class ListModels implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("User model folder: " + ModelRepository.userDir());
            var all = ModelImporter.list();
            if (all.isEmpty()) {
                System.out.println("No models found in " + ModelRepository.defaultDirs());
                return 0;
            }
            System.out.printf(Locale.ROOT, "%-24s %-15s %-15s %-52s %s%n", "NAME", "FAMILY", "TASK", "CONVENTIONS", "FOLDER");
            for (ModelImporter.Listed l : all) {
                ModelRepository.Entry e = l.entry();
                if (e.ok()) {
                    ModelCard c = e.card();
                    System.out.printf(Locale.ROOT, "%-24s %-15s %-15s %-52s %s%n", c.name(), c.family(), c.task().id, conventions(c),
                            l.dir() + (l.removable() ? " (user)" : ""));
                } else {
                    System.out.printf(Locale.ROOT, "%-24s %-15s %-15s %-52s %s%n", e.name(), "-", "unusable", e.problem(), l.dir());
                }
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an imported model (card and ONNX file) from the user model folder.")
    static final class Remove implements Callable<Integer> {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() throws ModelException {
            Path card = ModelImporter.remove(name);
            System.out.println("Removed " + name + " (" + card + ")");
            return 0;
        }
    }

    /** "fixed 320x320 squash, NCHW, /max, sigmoid, min-max" */
    static String conventions(ModelCard c) {
        ModelCard.Size s = c.input().size();
        String size = s.fixed() ? "fixed " + s.width() + "x" + s.height() + " " + s.resize()
                : s.reference() ? "ref " + s.workingSize() + " /" + s.multiple()
                : "long side " + s.workingSize() + " x" + s.multiple();
        ModelCard.Normalisation n = c.input().normalisation();
        String norm = n.imageMax() ? "/max" : String.format(Locale.ROOT, "/%.0f", n.scale());
        String act = c.output().logits() ? "logits" : c.output().activation();
        return size + ", " + c.input().layout() + ", " + norm + ", " + act + (c.output().minMax() ? ", min-max" : "");
    }
}
