# /mydata: notices to the person queued by the other messenger's bot (services/notices)
privacy-notices-title = <b>Уведомления вам от бота в другом мессенджере</b> ({ $count }):
privacy-notice-line = • { $kind }, { $when }: { $state }
privacy-notice-booked = о новой записи к вам
privacy-notice-cancelled = об отмене записи к вам
privacy-notice-moved = о переносе записи к вам
privacy-notice-rate = просьба оценить консультацию
privacy-notice-alert = об ошибке бота
privacy-notice-other = уведомление
privacy-notice-waiting = ждёт отправки
privacy-notice-done = отправлено или больше не отправляется
