package studio.matting.project;

import java.io.IOException;

/** A project file that cannot be read or written, with a message meant for the user. */
public class ProjectException extends IOException {
    public ProjectException(String message) {
        super(message);
    }

    public ProjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
