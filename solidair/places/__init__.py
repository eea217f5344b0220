"""Where people are: postcodes to coordinates offline, a street geocoder when configured,
and distances."""
