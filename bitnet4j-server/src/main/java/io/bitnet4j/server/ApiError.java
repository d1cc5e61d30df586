package io.bitnet4j.server;

/**
 * A request the server refuses, answered as OpenAI does: the HTTP status and the body
 * {@code {"error":{"message","type","param","code"}}}.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    /** A refusal with {@code status} whose body says {@code message}, {@code type}, {@code param} and {@code code} (may be null). */
    public ApiError(int status, String type, String message, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: something in the request is wrong; {@code param} names the field (may be null). */
    static ApiError invalid(String message, String param) {
        return new ApiError(400, "invalid_request_error", message, param, null);
    }

    /** 400 for a field of the wrong JSON type or out of range. */
    static ApiError invalidValue(String param, String expected, Object got) {
        return new ApiError(400, "invalid_request_error", "'" + param + "' must be " + expected + " (got " + got + ")", param,
                "invalid_value");
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "invalid_request_error", message, null, "invalid_api_key");
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "invalid_request_error", message, null, "not_found");
    }

    static ApiError methodNotAllowed(String method, String path) {
        return new ApiError(405, "invalid_request_error", method + " is not allowed on " + path, null, "method_not_allowed");
    }

    static ApiError tooLarge(long limit) {
        return new ApiError(413, "invalid_request_error", "the request body is larger than " + limit + " bytes", null,
                "request_too_large");
    }

    static ApiError overloaded(int queued) {
        return new ApiError(429, "rate_limit_error", "the server is busy: " + queued + " requests are already waiting; retry later",
                null, "rate_limit_exceeded");
    }

    static ApiError internal(String message) {
        return new ApiError(500, "server_error", message, null, null);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** The request field at fault, or null. */
    public String param() {
        return param;
    }

    /** A machine-readable code, or null. */
    public String code() {
        return code;
    }
}
