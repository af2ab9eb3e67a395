package studio.matting.matting;

/** Matting failed for a reason the user should read (bad input sizes, a model that cannot run, ...). */
public class MattingException extends Exception {
    public MattingException(String message) { super(message); }

    public MattingException(String message, Throwable cause) { super(message, cause); }
}
