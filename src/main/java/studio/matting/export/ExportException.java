package studio.matting.export;

import java.io.IOException;

/** An export that could not be done, with a message meant for the user. */
public class ExportException extends IOException {
    public ExportException(String message) {
        super(message);
    }

    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
