package io.twinrouter.scoring.http;

/** The body of every error response. */
public record ErrorBody(String error, String detail) {}
