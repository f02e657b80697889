// Prints NODETEST_GREETING and stays running until it is killed.
process.stdout.write(process.env.NODETEST_GREETING + "\n");
setInterval(() => {}, 1000);
