package studio.matting.ui.session;

import studio.matting.compositor.Background;
import studio.matting.document.Document;
import studio.matting.document.ProjectBridge;
import studio.matting.export.ExportOptions;
import studio.matting.export.Exporter;
import studio.matting.image.FloatImage;
import studio.matting.image.ImageFiles;
import studio.matting.image.ImageLoadException;
import studio.matting.matting.MattingEngine;
import studio.matting.project.Project;
import studio.matting.project.ProjectFiles;
import studio.matting.refine.AlphaRefiner;
import studio.matting.refine.Refinements;
import studio.matting.trimap.Trimap;
import studio.matting.trimap.TrimapFiles;
import studio.matting.ui.I18n;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The session's files in and out: images, dropped files and projects opened, α / trimap / project / export written.
 * All decoding and encoding runs on the session's {@link JobRunner}; a failure is reported and loses nothing (the
 * current document stays, writes are atomic).
 */
public final class SessionFiles {
    private final EditorSession session;

    SessionFiles(EditorSession session) { this.session = session; }

    /** Opens an image in the background; on failure the loader's message is shown and the current document kept. */
    public void open(Path path) {
        session.message(I18n.format("status.opening", path.getFileName()));
        session.jobs().submit(ctx -> Document.open(path), JobRunner.outcome(d -> {
            session.setDocument(d);
            // No mask of its own (the centred ellipse stands in): let the first segmentation model make one.
            if (session.segmentOnOpen() && !session.segmenters().isEmpty() && "ellipse".equals(d.maskSource()))
                session.segment(session.segmenters().get(0));
        }, e -> session.error(I18n.get("error.open.title"),
                e instanceof ImageLoadException ? e.getMessage() : I18n.format("error.open.text", path.getFileName(), e))));
    }

    /**
     * Files dropped on the window: a project file among them is opened as a project, otherwise the first file as an
     * image. Returns false when nothing was dropped.
     */
    public boolean openDropped(List<Path> files) {
        if (files.isEmpty()) return false;
        for (Path f : files) {
            if (f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ProjectFiles.EXTENSION)) {
                openProject(f);
                return true;
            }
        }
        open(files.get(0));
        return true;
    }

    private record Opened(Document document, Background background, Path backgroundPath, String engineId, Refinements refinements) { }

    /** Restores a saved session; a damaged file is reported and the current one kept. */
    public void openProject(Path file) {
        session.message(I18n.format("status.opening", file.getFileName()));
        session.jobs().submit(ctx -> {
            Project p = ProjectFiles.load(file);
            Document d = ProjectBridge.toDocument(p);
            Background bg;
            try {
                bg = ProjectBridge.background(p.background());
            } catch (ImageLoadException ex) {
                bg = Background.checker(); // the background image moved: the session itself is still good
            }
            boolean image = p.background() != null && "image".equals(p.background().type());
            return new Opened(d, bg, image ? Path.of(p.background().imagePath()) : null, p.engineId(), p.refinements());
        }, JobRunner.outcome(o -> {
            session.setDocument(o.document());
            session.setBackground(o.background(), o.backgroundPath());
            if (o.engineId() != null) for (MattingEngine e : session.engines()) if (e.id().equals(o.engineId())) session.setEngine(e);
            session.preview().apply(o.refinements()); // restored settings, not an edit: no undo step
            session.message(I18n.format("status.projectOpened", file.getFileName()));
        }, e -> session.error(I18n.get("error.project.title"), String.valueOf(e.getMessage()))));
    }

    public void saveProject(Path target) {
        if (session.mattes().deferWhileRefining(() -> saveProject(target))) return;
        Project p = session.projectSnapshot();
        if (p == null) return;
        session.jobs().submit(ctx -> {
            ProjectFiles.save(p, target, p.imagePath() == null, true);
            return null;
        }, JobRunner.outcome(r -> session.message(I18n.format("status.projectSaved", target.getFileName())),
                e -> session.error(I18n.get("error.project.title"), e.getMessage())));
    }

    /**
     * Writes the trimap (8-bit PNG) or α (16-bit PNG, the image's DPI) in the background. The file chooser has
     * already asked about replacing an existing file, so this overwrites; the write is atomic (temp file + rename).
     */
    public void save(String what, Path target) {
        Document d = session.document();
        if (d == null) return;
        if (what.equals("alpha") && session.mattes().deferWhileRefining(() -> save(what, target))) return;
        Trimap t = d.trimap().copy();
        // copies: a stroke's re-matte patches the layers in place while this is written
        FloatImage a = d.alpha() == null ? null : d.alpha().copy();
        Refinements ref = session.preview().refinements();
        session.jobs().submit(ctx -> {
            if (what.equals("alpha")) ImageFiles.writePng16(AlphaRefiner.refineOnce(a, ref, t), target, d.dpi(), true);
            else TrimapFiles.write(t, target, true);
            return null;
        }, JobRunner.outcome(r -> session.message(I18n.format("status.saved", target.getFileName())),
                e -> session.error(I18n.get("error.save.title"), I18n.format("error.save.text", target.getFileName(), e.getMessage()))));
    }

    /** Writes the chosen outputs off the UI thread. */
    public void export(ExportOptions o) {
        Document d = session.document();
        if (d == null || d.alpha() == null) return;
        if (session.mattes().deferWhileRefining(() -> export(o))) return;
        // copies: a stroke's re-matte patches the layers in place while this is written
        Exporter.Inputs in = new Exporter.Inputs(d.image(), d.alpha().copy(), d.foreground() == null ? null : d.foreground().copy(),
                d.trimap().copy(), session.background());
        Refinements ref = session.preview().refinements();
        session.message(I18n.get("status.exporting"));
        session.jobs().submit(ctx -> Exporter.export(refined(in, ref), o), JobRunner.outcome(
                r -> session.message(I18n.format("status.exported", String.valueOf(r.written().size()), o.directory())),
                e -> session.error(I18n.get("error.export.title"), JobRunner.message(e))));
    }

    /** The export inputs with the global refinements applied at full resolution (worker thread). */
    private static Exporter.Inputs refined(Exporter.Inputs in, Refinements r) {
        if (r.alphaIdentity() && r.decontaminate() == 100) return in;
        return new Exporter.Inputs(in.image(), AlphaRefiner.refineOnce(in.alpha(), r, in.trimap()), in.foreground(), in.trimap(),
                in.background()).decontaminated(r.decontaminate());
    }

    /** An image background, decoded in the background. */
    public void loadBackgroundImage(Path file) {
        session.jobs().submit(ctx -> ImageFiles.readRgb(file), JobRunner.outcome(img -> session.setBackground(Background.image(img), file),
                e -> session.error(I18n.get("error.background.title"), e.getMessage())));
    }
}
