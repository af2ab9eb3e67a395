package studio.matting.i18n;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * User-facing messages of the core (file loading, projects, export), in the language the editor shows. The core
 * knows nothing of JavaFX: the editor sets the locale when its own language is chosen; the command line keeps the
 * default, English, to match its help and output. Arguments are formatted by the caller (numbers included), so a
 * message reads the same in every locale apart from its words.
 */
public final class Messages {
    static final String BUNDLE = "studio.matting.i18n.messages";
    private static volatile ResourceBundle bundle = load(Locale.ENGLISH);

    private Messages() { }

    private static ResourceBundle load(Locale l) {
        // No fallback to the JVM default locale: an English editor on a Chinese system stays English.
        return ResourceBundle.getBundle(BUNDLE, l, ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_DEFAULT));
    }

    /** Switches the language of later messages (the editor calls this with its UI locale). */
    public static void setLocale(Locale l) {
        bundle = load(l);
    }

    public static Locale locale() {
        return bundle.getLocale();
    }

    /** The message {@code key} with {0}, {1}, … replaced by the arguments' string forms. */
    public static String format(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return key; // the bundle test catches missing keys; a user never gets an exception instead of a message
        }
        Object[] text = new Object[args.length];
        for (int i = 0; i < args.length; i++) text[i] = String.valueOf(args[i]);
        return new MessageFormat(pattern, Locale.ROOT).format(text);
    }
}
