"""The council: member forms, reading them back, and aggregating members' scores."""
