# /mydata: notices to the person queued by the other messenger's bot (services/notices)
privacy-notices-title = <b>Notices to you from the bot in the other messenger</b> ({ $count }):
privacy-notice-line = • { $kind }, { $when }: { $state }
privacy-notice-booked = a new booking with you
privacy-notice-cancelled = a booking with you cancelled
privacy-notice-moved = a booking with you moved
privacy-notice-rate = a request to rate a consultation
privacy-notice-alert = a bot error
privacy-notice-other = a notice
privacy-notice-waiting = waiting to be sent
privacy-notice-done = sent or not to be sent any more
