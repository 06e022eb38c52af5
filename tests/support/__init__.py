"""What the tests share: data, people and their tokens, fakes, files, servers, the suite's scheduling."""
