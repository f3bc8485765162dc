package dev.pathpoint.sysctl.internal.reboot;

/** What {@code reboot} does. */
public enum RebootMode {
    /** Restart the OSGi framework (system bundle update); the launcher starts it again. */
    FRAMEWORK,
    /** Run the configured operating system command (e.g. {@code sudo systemctl reboot}). */
    COMMAND
}
