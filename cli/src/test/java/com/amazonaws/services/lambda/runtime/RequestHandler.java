package com.amazonaws.services.lambda.runtime;

/** Test stand-in for aws-lambda-java-core's interface, so the Lambda docs snippet compiles. */
public interface RequestHandler<I, O> {
  /** Handles one invocation. */
  O handleRequest(I input, Context context);
}
