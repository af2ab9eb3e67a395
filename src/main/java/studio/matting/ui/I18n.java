package studio.matting.ui;

import studio.matting.i18n.Messages;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.prefs.Preferences;

/**
 * The editor's UI strings ({@code studio/matting/ui/messages*.properties}, UTF-8). The language comes from, in order:
 * the system property {@code matting.language}, the user setting ({@link Preferences} node {@code studio/matting},
 * key {@code language}: {@code system}, {@code en} or {@code zh-CN}), the system locale. Locales without a bundle get
 * English. The core's user-facing messages (file loading, projects, export) have their own bundle,
 * {@link Messages}, which the editor switches to the same locale.
 */
public final class I18n {
    public static final String PROPERTY = "matting.language";
    public static final String PREF_NODE = "studio/matting";
    public static final String PREF_KEY = "language";
    /** Values of the setting. */
    public static final String SYSTEM = "system", ENGLISH = "en", CHINESE = "zh-CN";

    private static final String BUNDLE = "studio.matting.ui.messages";
    private static volatile Locale locale;
    private static volatile ResourceBundle bundle;

    private I18n() { }

    /** The locale the UI uses now (resolved on first use). */
    public static Locale locale() {
        Locale l = locale;
        if (l == null) {
            l = resolve(configuredLanguage(), Locale.getDefault());
            setLocale(l);
        }
        return l;
    }

    /** Forces the UI locale for this run (tests, the screenshot tool); nothing is stored. */
    public static synchronized void setLocale(Locale l) {
        locale = supported(l);
        Messages.setLocale(locale); // the core's messages (file errors, projects, export) follow the UI language
        // No fallback to the JVM default locale: an English run on a Chinese system must stay English.
        bundle = ResourceBundle.getBundle(BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_DEFAULT));
    }

    public static String get(String key) {
        locale();
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            return key; // a missing key shows up in the UI instead of crashing it; the bundle test catches it first
        }
    }

    public static String format(String key, Object... args) {
        MessageFormat f = new MessageFormat(get(key), locale());
        return f.format(args);
    }

    /** The language setting: the system property first, then the stored preference, else {@link #SYSTEM}. */
    public static String configuredLanguage() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) return p.trim();
        try {
            // node() would create the node: reading the setting must not write to the user's preferences.
            if (!Preferences.userRoot().nodeExists(PREF_NODE)) return SYSTEM;
            return storedLanguage(Preferences.userRoot().node(PREF_NODE));
        } catch (java.util.prefs.BackingStoreException | RuntimeException e) { // includes SecurityException: no preference store
            return SYSTEM;
        }
    }

    public static String storedLanguage(Preferences node) {
        String v = node.get(PREF_KEY, SYSTEM);
        return v == null || v.isBlank() ? SYSTEM : v;
    }

    public static void storeLanguage(Preferences node, String language) {
        node.put(PREF_KEY, normalise(language));
        try {
            node.flush();
        } catch (java.util.prefs.BackingStoreException e) {
            // The setting then lasts for this session only; nothing else depends on it.
        }
    }

    /** Stores the user's choice in the real preference node (the Language menu). */
    public static void storeLanguage(String language) {
        storeLanguage(Preferences.userRoot().node(PREF_NODE), language);
    }

    /** {@code system}/{@code en}/{@code zh-CN} (also {@code zh_CN}, {@code zh}) to a locale; unknown values mean the system locale. */
    public static Locale resolve(String language, Locale system) {
        String n = normalise(language);
        if (n.equals(ENGLISH)) return Locale.ENGLISH;
        if (n.equals(CHINESE)) return Locale.SIMPLIFIED_CHINESE;
        return supported(system);
    }

    public static String normalise(String language) {
        if (language == null) return SYSTEM;
        String s = language.trim().replace('_', '-').toLowerCase(Locale.ROOT);
        if (s.equals("en") || s.startsWith("en-")) return ENGLISH;
        if (s.equals("zh") || s.equals("zh-cn") || s.equals("zh-hans") || s.equals("zh-hans-cn") || s.equals("zh-sg")) return CHINESE;
        return SYSTEM;
    }

    /** Simplified Chinese for zh locales that are not Traditional, English for everything else. */
    static Locale supported(Locale l) {
        if (l != null && l.getLanguage().equals("zh")) {
            String script = l.getScript(), country = l.getCountry();
            boolean traditional = script.equals("Hant") || (script.isEmpty() && (country.equals("TW") || country.equals("HK") || country.equals("MO")));
            if (!traditional) return Locale.SIMPLIFIED_CHINESE;
        }
        return Locale.ENGLISH;
    }
}
