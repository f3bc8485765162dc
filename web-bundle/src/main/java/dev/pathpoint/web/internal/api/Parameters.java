package dev.pathpoint.web.internal.api;

/** Query parameters, checked: a bad one is answered 400 naming it. */
final class Parameters {
    private Parameters() {
    }

    /** The whole-number parameter, {@code absent} if missing; null after answering 400. */
    static Integer integer(Exchange exchange, String name, int min, int max, int absent) {
        String text = exchange.request.getParameter(name);
        if (text == null || text.isEmpty()) {
            return absent;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        exchange.answer(Errors.of(400, name + ": expected a whole number from " + min + " to " + max + ", got '" + text + "'"));
        return null;
    }
}
