package com.amazonaws.services.lambda.runtime;

/** Test stand-in for aws-lambda-java-core's invocation context. */
public interface Context {
  /** The request id. */
  String getAwsRequestId();
}
