"""The simulated GitHub REST API: repositories, issues and pull requests, and the evidence around them."""
