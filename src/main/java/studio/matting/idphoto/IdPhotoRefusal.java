package studio.matting.idphoto;

import studio.matting.i18n.Messages;

/**
 * The input cannot become an ID photo: no person, no face, or more than one face of comparable size. Unchecked so the
 * batch path ({@code matte --size}) reports it per image; the {@code idphoto} command turns it into exit code 1
 * (not the bad-arguments code 2: the arguments were fine, the photo is not) and writes nothing.
 */
public final class IdPhotoRefusal extends RuntimeException {
    public enum Kind { NO_PERSON, NO_FACE, SEVERAL_FACES }

    private final Kind kind;
    private final int faces;

    IdPhotoRefusal(Kind kind, int faces, String message) {
        super(message);
        this.kind = kind;
        this.faces = faces;
    }

    static IdPhotoRefusal noPerson(double coveragePercent) {
        return new IdPhotoRefusal(Kind.NO_PERSON, 0, Messages.format("idphoto.refused.noPerson",
                String.format(java.util.Locale.ROOT, "%.1f", coveragePercent)));
    }

    static IdPhotoRefusal noFace(int unconfirmed) {
        return new IdPhotoRefusal(Kind.NO_FACE, 0, unconfirmed > 0
                ? Messages.format("idphoto.refused.noFaceWeak", unconfirmed)
                : Messages.format("idphoto.refused.noFace"));
    }

    static IdPhotoRefusal severalFaces(int count, int largestPx, int secondPx) {
        return new IdPhotoRefusal(Kind.SEVERAL_FACES, count, Messages.format("idphoto.refused.severalFaces", count, largestPx, secondPx));
    }

    public Kind kind() {
        return kind;
    }

    /** How many comparable faces were found (for {@link Kind#SEVERAL_FACES}). */
    public int faces() {
        return faces;
    }
}
